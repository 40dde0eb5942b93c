package dev.weft.store.jdbc;

import dev.weft.OwnershipLostException;
import dev.weft.StoreException;
import dev.weft.store.Checkpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.TransactionException;

/**
 * Coalesces checkpoints from many threads into few transactions. Callers queue a checkpoint and get
 * a future; one flusher thread takes everything queued (up to the batch size), writes it in one
 * transaction and then completes the futures. While a transaction is under way new checkpoints
 * queue up, so the busier the engine, the larger the batches: a commit's cost is shared.
 *
 * <p>Futures are completed on the flusher thread; dependent stages that do real work should use
 * the {@code *Async} variants so they do not hold up the next batch.
 */
final class GroupCommitter implements AutoCloseable {

    // a deadlock victim is retried: the next attempt usually gets through
    private static final int ATTEMPTS_ON_LOCK_FAILURE = 3;

    private static final Comparator<Pending> BY_RUN_ID = Comparator.comparing(p -> p.checkpoint().runId());

    private final Function<List<Checkpoint>, BitSet> writer;
    private final int maxBatchSize;
    private final CommitObserver observer;
    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    // guards "closed" together with the offer, so nothing can be queued behind the close marker
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread flusher;
    private boolean closed;

    /**
     * @param writer writes a batch in one transaction and returns the positions refused for lost ownership
     */
    GroupCommitter(Function<List<Checkpoint>, BitSet> writer, int maxBatchSize, CommitObserver observer) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("The batch size must be at least 1, was " + maxBatchSize);
        }
        this.writer = writer;
        this.maxBatchSize = maxBatchSize;
        this.observer = observer;
        this.flusher = Thread.ofPlatform().name("weft-group-commit").daemon().start(this::flushUntilClosed);
    }

    CompletableFuture<Void> submit(Checkpoint checkpoint) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                done.completeExceptionally(new StoreException("The workflow store is closed; checkpoint of run '"
                        + checkpoint.runId() + "' not written"));
                return done;
            }
            queue.add(new Pending(checkpoint, done));
        } finally {
            lock.unlock();
        }
        return done;
    }

    /** Writes what is queued, then stops the flusher. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(Stop.STOP);
        } finally {
            lock.unlock();
        }
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushUntilClosed() {
        List<Queued> taken = new ArrayList<>(maxBatchSize);
        boolean stopping = false;
        while (!stopping) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException ex) {
                // only close() ends the flusher; an interrupt from elsewhere is no reason to drop work
                continue;
            }
            queue.drainTo(taken, maxBatchSize - 1);
            List<Pending> batch = new ArrayList<>(taken.size());
            for (Queued queued : taken) {
                switch (queued) {
                    case Pending pending -> batch.add(pending);
                    case Stop stop -> stopping = true;
                }
            }
            taken.clear();
            if (!batch.isEmpty()) {
                flush(batch);
            }
        }
        // close() queued its marker last, under the lock: everything before it has been written
    }

    private void flush(List<Pending> batch) {
        batch.sort(BY_RUN_ID);
        List<Checkpoint> checkpoints = batch.stream().map(Pending::checkpoint).toList();
        long start = System.nanoTime();
        BitSet refused;
        try {
            refused = writeWithRetry(checkpoints);
        } catch (RuntimeException ex) {
            fail(batch, ex);
            return;
        }
        observe(() -> observer.onBatchCommitted(batch.size(), Duration.ofNanos(System.nanoTime() - start)));
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            if (refused.get(i)) {
                Checkpoint checkpoint = pending.checkpoint();
                pending.done().completeExceptionally(new OwnershipLostException("Run '" + checkpoint.runId()
                        + "' is no longer running under epoch " + checkpoint.epoch()
                        + " (another node claimed it or it ended); the checkpoint was not written"));
            } else {
                pending.done().complete(null);
            }
        }
    }

    private BitSet writeWithRetry(List<Checkpoint> checkpoints) {
        for (int attempt = 1; ; attempt++) {
            try {
                return writer.apply(checkpoints);
            } catch (PessimisticLockingFailureException ex) {
                if (attempt == ATTEMPTS_ON_LOCK_FAILURE) {
                    throw ex;
                }
            }
        }
    }

    private void fail(List<Pending> batch, RuntimeException ex) {
        observe(() -> observer.onBatchFailed(batch.size(), ex));
        for (Pending pending : batch) {
            pending.done().completeExceptionally(storeException(pending.checkpoint(), batch.size(), ex));
        }
    }

    private static RuntimeException storeException(Checkpoint checkpoint, int batchSize, RuntimeException ex) {
        if (ex instanceof DataAccessException || ex instanceof TransactionException) {
            return new StoreException("Could not write the checkpoint of run '" + checkpoint.runId()
                    + "': the transaction of " + batchSize + " checkpoint(s) failed", ex);
        }
        return new StoreException("Unexpected failure writing the checkpoint of run '" + checkpoint.runId() + "'", ex);
    }

    private static void observe(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException ignored) {
            // an observer's bug must not stop commits
        }
    }

    /** What the flusher takes from the queue. */
    private sealed interface Queued permits Pending, Stop {
    }

    private record Pending(Checkpoint checkpoint, CompletableFuture<Void> done) implements Queued {
    }

    /** Queued by {@link #close()} after the last checkpoint. */
    private enum Stop implements Queued {
        STOP
    }
}
