package dev.weft.store;

/** Where a journal entry stands. Stored by its lowercase name. */
public enum EntryState {
    /**
     * Not finished and waiting for {@link JournalEntry#dueAt()}: a sleep before its timer fires, or
     * an activity whose next attempt ({@link JournalEntry#attempt()}) is in backoff.
     */
    WAITING,
    /** Finished with a result. */
    COMPLETED,
    /** Finished with a failure. */
    FAILED;

    public boolean isFinished() {
        return this != WAITING;
    }
}
