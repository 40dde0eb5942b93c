package dev.weft.store;

import dev.weft.failure.FailureInfo;
import dev.weft.WorkflowStatus;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a run ended: written with the last checkpoint of the run, which also gives up its lease.
 *
 * @param status a terminal status
 * @param result the JSON result when completed
 * @param failure the failure when failed
 * @param completedAt the engine clock's time of the end
 * @param parentId the run's parent, woken by the end in the same transaction, or {@code null}
 */
public record RunOutcome(WorkflowStatus status, @Nullable String result, @Nullable FailureInfo failure, Instant completedAt,
        @Nullable String parentId) {

    public RunOutcome(WorkflowStatus status, @Nullable String result, @Nullable FailureInfo failure, Instant completedAt) {
        this(status, result, failure, completedAt, null);
    }

    public RunOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(completedAt, "completedAt");
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("an outcome needs a terminal status, was " + status);
        }
    }
}
