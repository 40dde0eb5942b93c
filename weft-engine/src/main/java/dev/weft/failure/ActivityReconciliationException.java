package dev.weft.failure;

/**
 * A keyed activity's step failed closed: its reconciliation record says an attempt was dispatched
 * whose outcome the engine never learned, and no verifier proved that dispatching again is safe
 * (there is none, or it answered indeterminate, completed without a result, or threw). Never
 * retried. The message names the run, the step and the activity, never the idempotency key.
 */
public class ActivityReconciliationException extends WeftException {

    public static final String CODE = "ACTIVITY_RECONCILIATION_INDETERMINATE";

    public ActivityReconciliationException(String message) {
        super(CODE, FailureCategory.SYSTEM, message, null);
    }
}
