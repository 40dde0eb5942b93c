package dev.weft.store;

/** Where a journal entry stands. Stored by its lowercase name. */
public enum EntryState {
    /**
     * Not finished and waiting for {@link JournalEntry#dueAt()}: a sleep before its timer fires, or
     * an activity whose next attempt ({@link JournalEntry#attempt()}) is in backoff.
     */
    WAITING,
    /**
     * An activity attempt handed its completion to someone else ({@code completeAsync()}): it waits
     * for {@code completeAsyncActivity} or {@code failAsyncActivity} with the step's token.
     */
    PENDING,
    /**
     * An activity attempt waits in a queue as a task row, for a worker pool (on any node) to claim
     * and run it; the worker writes the outcome under its claim.
     */
    QUEUED,
    /**
     * An out-of-band failure of attempt {@link JournalEntry#attempt()} was accepted; the owner has
     * yet to decide on a retry. Not final: replay continues from that decision.
     */
    ATTEMPT_FAILED,
    /** Finished with a result. */
    COMPLETED,
    /** Finished with a failure. */
    FAILED;

    public boolean isFinished() {
        return this == COMPLETED || this == FAILED;
    }
}
