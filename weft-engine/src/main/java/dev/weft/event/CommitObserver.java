package dev.weft.event;

import java.time.Duration;

/**
 * Hears about the transactions of the group commit: how many checkpoints each one carried and how
 * long it took. Called on the flusher thread, so implementations must be quick (count, record a
 * timer) and must not throw.
 */
public interface CommitObserver {

    /** Observes nothing. */
    CommitObserver NONE = new CommitObserver() {
    };

    /**
     * A transaction committed.
     *
     * @param checkpoints how many checkpoints it handled, those refused for lost ownership included
     * @param latency from the start of its transaction to the end of its commit
     */
    default void onBatchCommitted(int checkpoints, Duration latency) {
    }

    /**
     * A transaction failed and every checkpoint in it failed with a {@link dev.weft.failure.StoreException}.
     *
     * @param checkpoints how many checkpoints it carried
     * @param error the database's failure
     */
    default void onBatchFailed(int checkpoints, Throwable error) {
    }
}
