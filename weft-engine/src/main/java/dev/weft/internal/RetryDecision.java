package dev.weft.internal;

import dev.weft.activity.ActivityOptions;
import dev.weft.failure.FailureInfo;
import dev.weft.retry.RetryPolicy;
import dev.weft.time.StorableTimes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What follows a failed attempt: another attempt at a time, or the end of the activity with a final failure. */
sealed interface RetryDecision {

    /** Attempt again at {@code at}. */
    record Retry(Instant at) implements RetryDecision {
    }

    /** Give up, failing the activity with {@code failure}. */
    record GiveUp(FailureInfo failure) implements RetryDecision {
    }

    /**
     * The retry policy's and the schedule-to-close budget's decision after attempt {@code attempt}
     * failed with {@code failure} at {@code ended}; the budget runs from {@code scheduledAt}.
     */
    static RetryDecision after(String activity, RetryPolicy policy, ActivityOptions options, int attempt, FailureInfo failure,
            Instant ended, Instant scheduledAt) {
        if (!policy.allowsRetry(attempt, failure)) {
            return new GiveUp(failure);
        }
        Instant next = StorableTimes.after(ended, policy.backoffAfter(attempt), "The retry backoff of activity '" + activity + "'");
        Optional<Duration> budget = options.scheduleToCloseTimeout();
        // compared as durations: a budget of any length adds to no instant, so none can overflow
        if (budget.isPresent() && Duration.between(scheduledAt, next).compareTo(budget.get()) >= 0) {
            return new GiveUp(Failures.scheduleToCloseTimeout(activity, attempt, budget.get(), failure));
        }
        return new Retry(next);
    }
}
