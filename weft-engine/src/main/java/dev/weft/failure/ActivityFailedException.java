package dev.weft.failure;


/**
 * What a workflow sees when an activity has failed for good: its retries are used up, or its
 * error was not retryable. The exception is rebuilt from the journal, so {@link #failure()} is
 * the same on the first run and on every replay; the original exception is not attached.
 */
public class ActivityFailedException extends WeftException {

    public static final String CODE = "ACTIVITY_FAILED";

    private final String activityName;
    private final FailureInfo failure;
    private final int attempts;

    public ActivityFailedException(String activityName, FailureInfo failure, int attempts) {
        this(CODE, activityName, failure, attempts);
    }

    protected ActivityFailedException(String code, String activityName, FailureInfo failure, int attempts) {
        super(code, failure.category(), describe(activityName, failure, attempts));
        this.activityName = activityName;
        this.failure = failure;
        this.attempts = attempts;
    }

    private static String describe(String activityName, FailureInfo failure, int attempts) {
        String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
        return "Activity '" + activityName + "' failed after " + tries + ": " + failure.simpleType()
                + (failure.message().isEmpty() ? "" : ": " + failure.message());
    }

    public String activityName() {
        return activityName;
    }

    /** The recorded failure of the last attempt. */
    public FailureInfo failure() {
        return failure;
    }

    /** How many attempts ran, the first included. */
    public int attempts() {
        return attempts;
    }
}
