package dev.weft.visibility;

import dev.weft.failure.FailureInfo;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One durable operation of a run, at its position in the run's history.
 *
 * @param seq the position of the operation in the run, from 1
 * @param name the activity name, or a description that replay checks (a group's shape, a memo key)
 * @param attempt for an activity, the attempt that finished, or the next one due while waiting
 * @param scheduledAt when the operation was first scheduled
 * @param dueAt when a waiting step (a sleep, or an activity in backoff) is due
 * @param result the step's result as JSON text, once completed
 * @param failure the failure, or the last attempt's failure while waiting to retry
 */
public record WorkflowStep(long seq, Kind kind, String name, State state, int attempt, @Nullable Instant scheduledAt,
        @Nullable Instant dueAt, @Nullable String result, @Nullable FailureInfo failure) {

    /** The kind of durable operation. */
    public enum Kind {
        /** A call of an activity by name. */
        ACTIVITY,
        /** A durable sleep. */
        SLEEP,
        /** A parallel group ({@code all}, {@code runAll}, {@code race}); its branches take the next positions. */
        GROUP,
        /** A value recorded once and replayed: {@code now()}, {@code memo(...)}. */
        VALUE,
        /** A wait for a signal. */
        SIGNAL,
        /** The version a run took at a code change. */
        VERSION,
        /** The start of a child workflow; its result is the child's run id. */
        CHILD,
        /** A wait for a child workflow's end. */
        CHILD_RESULT;

        /** The lowercase name, as the REST API and Actuator show it. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where a step stands. */
    public enum State {
        /** Waiting for its due time: a sleep before its timer fires, or an activity in backoff. */
        WAITING,
        /** An activity attempt waiting for its out-of-band completion. */
        PENDING,
        /** An activity attempt waiting in a queue for a worker pool to claim and run it. */
        QUEUED,
        /** An out-of-band failure of the attempt was accepted; the retry decision is still to come. */
        ATTEMPT_FAILED,
        /** Finished with a result. */
        COMPLETED,
        /** Finished with a failure. */
        FAILED;

        /** The lowercase name, as the REST API and Actuator show it. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
