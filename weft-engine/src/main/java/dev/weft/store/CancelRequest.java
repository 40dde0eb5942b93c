package dev.weft.store;

/** What {@link WorkflowStore#requestCancel(String)} found. */
public enum CancelRequest {
    /** The flag is set; the owner (or the next one) ends the run cancelled. */
    REQUESTED,
    /** The run had already ended; nothing changed. */
    ALREADY_FINISHED,
    /** No run has that id. */
    NOT_FOUND
}
