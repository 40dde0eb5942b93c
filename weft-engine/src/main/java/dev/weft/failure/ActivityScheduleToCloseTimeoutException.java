package dev.weft.failure;


/**
 * An activity's {@code scheduleToCloseTimeout}, the budget for all of its attempts and the
 * backoffs between them, ran out at a retry decision. The in-flight attempt's cancellation signal
 * does not fire: the budget is only consulted when deciding whether another attempt may begin.
 */
public class ActivityScheduleToCloseTimeoutException extends ActivityFailedException {

    public static final String CODE = "ACTIVITY_SCHEDULE_TO_CLOSE_TIMEOUT";

    public ActivityScheduleToCloseTimeoutException(String activityName, FailureInfo failure, int attempts) {
        super(CODE, activityName, failure, attempts);
    }
}
