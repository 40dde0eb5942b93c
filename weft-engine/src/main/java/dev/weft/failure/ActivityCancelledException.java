package dev.weft.failure;


/**
 * Thrown by {@link dev.weft.activity.Cancellation#throwIfCancelled()} once an activity's
 * cancellation signal has fired: its workflow was cancelled, or its attempt overran its timeout.
 */
public class ActivityCancelledException extends WeftException {

    public static final String CODE = "ACTIVITY_CANCELLED";

    public ActivityCancelledException(String message) {
        super(CODE, FailureCategory.CANCELLATION, message);
    }
}
