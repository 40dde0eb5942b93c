package dev.weft.store;

/** What became of a signal sent to a run. */
public enum SignalDelivery {
    /** Stored durably; the run consumes it when it waits for its name. */
    DELIVERED,
    /** A signal with the same signal id was delivered before: acknowledged, and ignored. */
    DUPLICATE,
    /** The run has ended: refused, nothing stored. */
    RUN_FINISHED,
    /** No run has that id: refused, nothing stored. */
    NOT_FOUND
}
