package dev.weft.store;

import dev.weft.WorkflowStatus;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A filter and a page over runs, newest first.
 *
 * @param statuses the statuses to include; empty for all
 * @param type the workflow type, or {@code null} for all
 * @param offset how many matching runs to skip
 * @param limit how many to return at most, 1 to {@value #MAX_LIMIT}
 */
public record RunQuery(Set<WorkflowStatus> statuses, @Nullable String type, int offset, int limit) {

    public static final int MAX_LIMIT = 1000;

    public RunQuery {
        statuses = Set.copyOf(Objects.requireNonNull(statuses, "statuses"));
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** The first {@code limit} runs of any status and type. */
    public static RunQuery first(int limit) {
        return new RunQuery(Set.of(), null, 0, limit);
    }
}
