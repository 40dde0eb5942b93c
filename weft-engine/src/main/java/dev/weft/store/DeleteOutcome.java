package dev.weft.store;

/** What {@link VisibilityStore#deleteRun(String)} did. */
public enum DeleteOutcome {
    /** The run and its journal are gone. */
    DELETED,
    /** The run is still running; nothing was deleted. */
    STILL_RUNNING,
    /** No run has that id. */
    NOT_FOUND
}
