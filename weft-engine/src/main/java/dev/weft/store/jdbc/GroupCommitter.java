package dev.weft.store.jdbc;

import dev.weft.LogCategories;
import dev.weft.event.CommitObserver;
import dev.weft.failure.CheckpointRejectedException;
import dev.weft.failure.OwnershipLostException;
import dev.weft.failure.WeftException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.StoreException;
import dev.weft.store.Checkpoint;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Coalesces checkpoints from many threads into few transactions. While one batch is being written
 * new checkpoints queue up, and the next batch takes everything queued (up to the batch size): the
 * busier the engine, the larger the batches, so a commit's cost is shared.
 *
 * <p>Up to {@code concurrentBatches} batches are written at once, each in its own transaction on
 * its own connection, so that one batch's round trips and commit overlap another's work. A caller
 * that finds nothing queued and nothing being written writes its own checkpoint at once, on its own
 * thread: a lone workflow pays no hand-off to another thread and back for each step. Everything
 * else is queued for the flusher threads, which write batch after batch while there is work. A
 * caller never writes on its own thread while that thread takes part in a Spring transaction,
 * since the write would join it.
 *
 * <p>A batch that the database refuses for a permanent reason (see {@link WriteFailureClassifier})
 * is written again one checkpoint at a time, so that the one it cannot hold fails alone, with a
 * {@link CheckpointRejectedException}, and the others of its batch land.
 *
 * <p>The futures of a batch of several checkpoints are completed on a virtual thread of their own
 * while its flusher writes the next batch; dependent stages that do real work should still use the
 * {@code *Async} variants.
 */
final class GroupCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.STORE);

    // a deadlock victim is retried: the next attempt usually gets through
    private static final int ATTEMPTS_ON_LOCK_FAILURE = 3;

    private static final Comparator<Pending> BY_RUN_ID = Comparator.comparing(p -> p.checkpoint().runId());

    private final Function<List<Checkpoint>, BitSet> writer;
    private final int maxBatchSize;
    private final int concurrentBatches;
    private final CommitObserver observer;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a flusher may have work: something queued and a batch may start, or closing. */
    private final Condition flusherWanted = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<Thread> flushers = new ArrayList<>();
    private final ExecutorService completions = Executors.newVirtualThreadPerTaskExecutor();
    // both guarded by lock; writing: the batches being written, by flushers or by a caller
    private int writing;
    private boolean closed;

    /**
     * @param writer writes a batch in one transaction and returns the positions refused for lost ownership
     * @param concurrentBatches how many batches may be written at once
     */
    GroupCommitter(Function<List<Checkpoint>, BitSet> writer, int maxBatchSize, int concurrentBatches, CommitObserver observer) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("The batch size must be at least 1, was " + maxBatchSize);
        }
        if (concurrentBatches < 1) {
            throw new IllegalArgumentException("The number of batches written at once must be at least 1, was " + concurrentBatches);
        }
        this.writer = writer;
        this.maxBatchSize = maxBatchSize;
        this.concurrentBatches = concurrentBatches;
        this.observer = observer;
        for (int i = 1; i <= concurrentBatches; i++) {
            flushers.add(Thread.ofPlatform().name("weft-group-commit-" + i).daemon().start(this::flushUntilClosed));
        }
    }

    CompletableFuture<Void> submit(Checkpoint checkpoint) {
        Pending pending = new Pending(checkpoint, new CompletableFuture<>());
        boolean writeHere;
        lock.lock();
        try {
            if (closed) {
                pending.done().completeExceptionally(new StoreException("The workflow store is closed; checkpoint of run '"
                        + checkpoint.runId() + "' not written"));
                return pending.done();
            }
            writeHere = writing == 0 && queue.isEmpty() && callerMayWrite();
            if (writeHere) {
                writing++;
            } else {
                queue.add(pending);
                if (writing < concurrentBatches) {
                    flusherWanted.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (writeHere) {
            try {
                flush(List.of(pending));
            } finally {
                writingDone();
            }
        }
        return pending.done();
    }

    /**
     * Whether the calling thread may write a batch itself: not while it is bound to a transaction
     * (the write would join the caller's transaction and commit or roll back with it), and not
     * when it was interrupted (a virtual thread's interrupt closes the socket it blocks on).
     */
    private static boolean callerMayWrite() {
        return !Thread.currentThread().isInterrupted()
                && !TransactionSynchronizationManager.isSynchronizationActive()
                && TransactionSynchronizationManager.getResourceMap().isEmpty();
    }

    /** Writes what is queued, then stops the flushers. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            flusherWanted.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Thread flusher : flushers) {
                flusher.join(Duration.ofNanos(Math.max(1, giveUp - System.nanoTime())));
            }
            completions.shutdown();
            completions.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void flushUntilClosed() {
        while (true) {
            List<Pending> batch;
            lock.lock();
            try {
                while (writing >= concurrentBatches || queue.isEmpty()) {
                    if (closed && writing == 0 && queue.isEmpty()) {
                        // nothing is queued after close(): everything submitted before it has been written
                        return;
                    }
                    // only close() ends the flusher; an interrupt from elsewhere is no reason to drop work
                    flusherWanted.awaitUninterruptibly();
                }
                writing++;
                batch = new ArrayList<>(Math.min(queue.size(), maxBatchSize));
                while (!queue.isEmpty() && batch.size() < maxBatchSize) {
                    batch.add(queue.poll());
                }
            } finally {
                lock.unlock();
            }
            try {
                flush(batch);
            } finally {
                writingDone();
            }
        }
    }

    private void writingDone() {
        lock.lock();
        try {
            writing--;
            if (!queue.isEmpty() || closed) {
                // all: on closing, every flusher must see it, and an idle one may take the queue
                flusherWanted.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void flush(List<Pending> batch) {
        if (batch.size() > 1) {
            batch.sort(BY_RUN_ID);
        }
        List<Checkpoint> checkpoints = batch.stream().map(Pending::checkpoint).toList();
        long start = System.nanoTime();
        BitSet refused;
        try {
            refused = writeWithRetry(checkpoints);
        } catch (RuntimeException ex) {
            SQLException permanent = WriteFailureClassifier.permanentCause(ex);
            if (permanent != null && batch.size() > 1) {
                observe(() -> observer.onBatchFailed(batch.size(), ex));
                isolate(batch, permanent);
            } else {
                fail(batch, ex, permanent);
            }
            return;
        }
        observe(() -> observer.onBatchCommitted(batch.size(), Duration.ofNanos(System.nanoTime() - start)));
        if (batch.size() == 1) {
            // a lone checkpoint: no thread waits for it yet, or just one; completing it is cheap
            complete(batch, refused);
        } else {
            // Each completion wakes a waiting workflow, several microseconds apiece: done on another
            // thread, the waking overlaps the next batch's write instead of delaying it.
            try {
                completions.execute(() -> complete(batch, refused));
            } catch (RejectedExecutionException closedMeanwhile) {
                // close() gave up waiting for this write and shut the completions down: complete here
                complete(batch, refused);
            }
        }
    }

    private static void complete(List<Pending> batch, BitSet refused) {
        for (int i = 0; i < batch.size(); i++) {
            Pending pending = batch.get(i);
            if (refused.get(i)) {
                pending.done().completeExceptionally(refusal(pending.checkpoint()));
            } else {
                pending.done().complete(null);
            }
        }
    }

    /**
     * Why a checkpoint was refused: a creation is refused only because its id is taken, which
     * says nothing of ownership; any other checkpoint because its writer no longer owns the run.
     */
    private static WeftException refusal(Checkpoint checkpoint) {
        if (checkpoint.creates() != null) {
            return new WorkflowAlreadyExistsException("A run with id '" + checkpoint.runId() + "' already exists");
        }
        return new OwnershipLostException("Run '" + checkpoint.runId() + "' is no longer running under epoch "
                + checkpoint.epoch() + " (another node claimed it or it ended); the checkpoint was not written");
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

    /**
     * Writes each checkpoint of a batch that failed for a permanent reason in a transaction of its
     * own: the one (or ones) the database cannot hold fail, the others land. Rare, so done one by
     * one on this thread rather than by halves.
     */
    private void isolate(List<Pending> batch, SQLException permanent) {
        LOG.warn("A batch of {} checkpoints was refused for a permanent reason ({}); writing them one at a time to find "
                + "the one the database cannot hold", batch.size(), WriteFailureClassifier.reason(permanent));
        for (Pending pending : batch) {
            List<Pending> alone = List.of(pending);
            BitSet refused;
            try {
                refused = writeWithRetry(List.of(pending.checkpoint()));
            } catch (RuntimeException ex) {
                fail(alone, ex, WriteFailureClassifier.permanentCause(ex));
                continue;
            }
            observe(() -> observer.onBatchCommitted(1, Duration.ZERO));
            complete(alone, refused);
        }
    }

    /** @param permanent what makes the failure permanent, or {@code null} when it may pass on another attempt */
    private void fail(List<Pending> batch, RuntimeException ex, @Nullable SQLException permanent) {
        observe(() -> observer.onBatchFailed(batch.size(), ex));
        for (Pending pending : batch) {
            pending.done().completeExceptionally(permanent == null ? storeException(pending.checkpoint(), batch.size(), ex)
                    : rejection(pending.checkpoint(), permanent, ex));
        }
    }

    private static CheckpointRejectedException rejection(Checkpoint checkpoint, SQLException permanent, RuntimeException ex) {
        return new CheckpointRejectedException("The database refused the checkpoint of run '" + checkpoint.runId()
                + "' for a reason that writing it again cannot change (" + WriteFailureClassifier.reason(permanent) + ")",
                String.valueOf(permanent.getSQLState()), ex);
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

    private record Pending(Checkpoint checkpoint, CompletableFuture<Void> done) {
    }
}
