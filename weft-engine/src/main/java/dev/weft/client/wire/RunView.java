package dev.weft.client.wire;

import dev.weft.WorkflowStatus;
import dev.weft.client.WorkflowSummary;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A run without its payloads: the answer of a start, a resume and each item of a listing.
 *
 * @param status the status's wire name, such as {@code running}
 */
public record RunView(String id, String type, String status, Instant createdAt, @Nullable Instant completedAt,
        boolean cancelRequested, @Nullable FailureView failure) {

    public static RunView of(WorkflowSummary run) {
        return new RunView(run.id(), run.type(), run.status().wireName(), run.createdAt(), run.completedAt(), run.cancelRequested(),
                run.failure() == null ? null : FailureView.of(run.failure()));
    }

    public WorkflowSummary toSummary() {
        return new WorkflowSummary(id, type, WorkflowStatus.fromWireName(status), createdAt, completedAt,
                failure == null ? null : failure.toFailureInfo(), cancelRequested);
    }
}
