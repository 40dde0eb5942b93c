package dev.weft.internal;

import dev.weft.failure.ActivityFailedException;
import dev.weft.failure.ActivityPerAttemptTimeoutException;
import dev.weft.failure.ActivityScheduleToCloseTimeoutException;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import java.time.Duration;

/** Builds the failures the engine records itself, and rebuilds the exceptions a workflow sees from records. */
final class Failures {

    private Failures() {
    }

    /** The exception a workflow sees for a recorded final failure: the same on the first run and on replay. */
    static ActivityFailedException toException(String activityName, FailureInfo failure, int attempts) {
        String code = failure.code();
        if (ActivityPerAttemptTimeoutException.CODE.equals(code)) {
            return new ActivityPerAttemptTimeoutException(activityName, failure, attempts);
        }
        if (ActivityScheduleToCloseTimeoutException.CODE.equals(code)) {
            return new ActivityScheduleToCloseTimeoutException(activityName, failure, attempts);
        }
        return new ActivityFailedException(activityName, failure, attempts);
    }

    static FailureInfo perAttemptTimeout(String activityName, int attempt, Duration timeout) {
        return new FailureInfo(ActivityPerAttemptTimeoutException.class.getName(),
                "attempt " + attempt + " of activity '" + activityName + "' exceeded its timeout of " + timeout,
                FailureCategory.TIMEOUT, ActivityPerAttemptTimeoutException.CODE, null);
    }

    static FailureInfo scheduleToCloseTimeout(String activityName, int attempts, Duration budget, FailureInfo last) {
        return new FailureInfo(ActivityScheduleToCloseTimeoutException.class.getName(),
                "activity '" + activityName + "' used up its schedule-to-close budget of " + budget + " after " + attempts
                        + (attempts == 1 ? " attempt" : " attempts") + "; last failure: " + last.simpleType()
                        + (last.message().isEmpty() ? "" : ": " + last.message()),
                FailureCategory.TIMEOUT, ActivityScheduleToCloseTimeoutException.CODE, last.stackTrace());
    }
}
