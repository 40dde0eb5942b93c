package dev.weft.internal;

import dev.weft.store.TaskOutcome;
import dev.weft.store.WorkflowStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the outcomes of this node's tasks, those that finish together in one transaction: the
 * first worker to arrive writes what is queued, batch after batch, while the others wait for
 * theirs. One transaction for many outcomes is the point, as the group commit is for checkpoints.
 */
final class OutcomeWriter {

    private static final int MAX_BATCH = 256;

    private record Pending(TaskOutcome outcome, CompletableFuture<Boolean> written) {
    }

    private final WorkflowStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> queued = new ArrayDeque<>();
    private boolean writing;

    OutcomeWriter(WorkflowStore store) {
        this.store = store;
    }

    /**
     * Writes {@code outcome} under its claim.
     *
     * @return whether it was written; {@code false} when its claim is no longer the task's
     * @throws dev.weft.failure.StoreException when the transaction that carried it failed
     */
    boolean write(TaskOutcome outcome) {
        Pending pending = new Pending(outcome, new CompletableFuture<>());
        boolean leads;
        lock.lock();
        try {
            queued.add(pending);
            leads = !writing;
            writing = true;
        } finally {
            lock.unlock();
        }
        if (leads) {
            writeWhileQueued();
        }
        try {
            return pending.written().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void writeWhileQueued() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            lock.lock();
            try {
                while (!queued.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(queued.poll());
                }
                if (batch.isEmpty()) {
                    writing = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                List<Boolean> written = store.tasks().completeAll(batch.stream().map(Pending::outcome).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).written().complete(written.get(i));
                }
            } catch (RuntimeException e) {
                batch.forEach(pending -> pending.written().completeExceptionally(e));
            }
        }
    }
}
