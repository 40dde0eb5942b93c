package dev.weft.client;

import dev.weft.WorkflowStatus;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which runs a listing includes.
 *
 * @param statuses the statuses to include; empty for all
 * @param type the workflow type, or {@code null} for all
 */
public record WorkflowFilter(Set<WorkflowStatus> statuses, @Nullable String type) {

    private static final WorkflowFilter ALL = new WorkflowFilter(Set.of(), null);

    public WorkflowFilter {
        statuses = Set.copyOf(Objects.requireNonNull(statuses, "statuses"));
    }

    /** Every run. */
    public static WorkflowFilter all() {
        return ALL;
    }

    public WorkflowFilter withStatuses(WorkflowStatus... value) {
        return new WorkflowFilter(Set.of(value), type);
    }

    public WorkflowFilter withType(@Nullable String value) {
        return new WorkflowFilter(statuses, value);
    }
}
