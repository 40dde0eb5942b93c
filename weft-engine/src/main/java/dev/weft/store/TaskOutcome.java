package dev.weft.store;

import dev.weft.failure.FailureInfo;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a claimed task's attempt ended, as its worker writes it: the step's queued entry becomes
 * {@code state} ({@link EntryState#COMPLETED} with {@code resultJson},
 * {@link EntryState#ATTEMPT_FAILED} with {@code failure}, or {@link EntryState#PENDING} when the
 * activity handed its completion to someone else).
 */
public record TaskOutcome(ClaimedTask task, EntryState state, @Nullable String resultJson, @Nullable FailureInfo failure) {

    public TaskOutcome {
        Objects.requireNonNull(task, "task");
        if (state != EntryState.COMPLETED && state != EntryState.ATTEMPT_FAILED && state != EntryState.PENDING) {
            throw new IllegalArgumentException("a task ends completed, failed or pending, not " + state);
        }
        if (state == EntryState.ATTEMPT_FAILED && failure == null) {
            throw new IllegalArgumentException("a failed task needs its failure");
        }
    }

    public static TaskOutcome completed(ClaimedTask task, @Nullable String resultJson) {
        return new TaskOutcome(task, EntryState.COMPLETED, resultJson, null);
    }

    public static TaskOutcome failed(ClaimedTask task, FailureInfo failure) {
        return new TaskOutcome(task, EntryState.ATTEMPT_FAILED, null, failure);
    }

    public static TaskOutcome pending(ClaimedTask task) {
        return new TaskOutcome(task, EntryState.PENDING, null, null);
    }
}
