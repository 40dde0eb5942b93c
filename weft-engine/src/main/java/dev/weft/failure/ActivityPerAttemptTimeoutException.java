package dev.weft.failure;


/**
 * An attempt of an inline activity ran longer than its per-attempt {@code timeout}. The attempt's
 * cancellation signal fired and its thread was interrupted; a retry, if the policy allows one,
 * gets a fresh timeout. Thrown into the workflow when the last attempt timed out.
 */
public class ActivityPerAttemptTimeoutException extends ActivityFailedException {

    public static final String CODE = "ACTIVITY_PER_ATTEMPT_TIMEOUT";

    public ActivityPerAttemptTimeoutException(String activityName, FailureInfo failure, int attempts) {
        super(CODE, activityName, failure, attempts);
    }
}
