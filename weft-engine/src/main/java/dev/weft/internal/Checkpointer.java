package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.failure.CheckpointRejectedException;
import dev.weft.failure.OwnershipLostException;
import dev.weft.failure.StoreException;
import dev.weft.store.Checkpoint;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run's checkpoints and waits until they are durable. A database that is briefly away is
 * waited out (the write is idempotent: entries are upserted by position); a lost lease, or an
 * engine that is closing, unwinds the run with {@link AbandonRun}. So does a checkpoint the
 * database refused for good ({@link CheckpointRejectedException}): writing it again would fail
 * the same way for ever, so the run is failed instead (see {@link RunExecution}).
 */
final class Checkpointer {

    private static final Logger STORE_LOG = LoggerFactory.getLogger(LogCategories.STORE);
    private static final Logger RUNS_LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final WorkflowStore store;
    private volatile boolean closed;

    public Checkpointer(WorkflowStore store) {
        this.store = store;
    }

    void commit(Checkpoint checkpoint) {
        write(checkpoint.runId(), checkpoint.epoch(), "Checkpoint", () -> store.commit(checkpoint).join());
    }

    /**
     * Does a fenced write or a read of the run's records other than its checkpoints (such as a
     * reconciliation record) as a checkpoint is done: a database briefly away is waited out, a lost
     * lease or a closing engine unwinds the run. The operation must be safe to repeat.
     */
    <T> T write(String runId, long epoch, String what, Supplier<T> operation) {
        Duration wait = OutageTimer.FIRST_RETRY_WAIT;
        while (true) {
            try {
                return operation.get();
            } catch (CompletionException | StoreException | OwnershipLostException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof OwnershipLostException lost) {
                    RUNS_LOG.error("{} of run {} was refused: another node took the run over (epoch {} is stale); this node stops "
                            + "driving it", what, runId, epoch, lost);
                    throw new AbandonRun("lost run " + runId, lost);
                }
                if (cause instanceof CheckpointRejectedException rejected) {
                    RUNS_LOG.error("{} of run {} was refused by the database for good; the run fails: {}",
                            what, runId, rejected.getMessage(), rejected);
                    throw new AbandonRun("cannot ever write run " + runId, rejected);
                }
                if (!(cause instanceof StoreException) || closed) {
                    throw new AbandonRun("cannot write run " + runId, cause);
                }
                STORE_LOG.warn("{} of run {} failed; retrying in {}", what, runId, wait, cause);
                pause(wait, runId, cause);
                wait = OutageTimer.nextRetryWait(wait);
            }
        }
    }

    /** Makes every later failed write abandon its run instead of waiting for the database. */
    public void close() {
        closed = true;
    }

    /** Waits out a database that is away again, after {@link #close()}: the engine takes work again. */
    public void reopen() {
        closed = false;
    }

    private static void pause(Duration wait, String runId, Throwable cause) {
        if (!OutageTimer.pause(wait)) {
            throw new AbandonRun("interrupted while retrying a write of run " + runId, cause);
        }
    }
}
