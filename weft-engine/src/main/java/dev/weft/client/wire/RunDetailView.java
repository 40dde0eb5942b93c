package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.client.WorkflowSummary;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /workflows/{id}}: a run with its input and result.
 *
 * @param status the status's wire name, such as {@code running}
 * @param restartedFrom the ended run whose idempotency key this run took over (a start with
 *     {@code ifEnded: start-new}), or {@code null}
 * @param concurrencyKey the concurrency key the run was started under, absent when none
 * @param queue where the run stands in its key's queue while it is {@code queued}, absent otherwise
 */
public record RunDetailView(String id, String type, String status, Instant createdAt, @Nullable Instant completedAt,
        boolean cancelRequested, @Nullable FailureView failure, @Nullable JsonNode input,
        @Nullable JsonNode result, @Nullable String restartedFrom,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String concurrencyKey,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable QueueView queue) {

    public static RunDetailView of(WorkflowSummary run, @Nullable JsonNode input, @Nullable JsonNode result) {
        return of(run, input, result, null, null, null);
    }

    public static RunDetailView of(WorkflowSummary run, @Nullable JsonNode input, @Nullable JsonNode result,
            @Nullable String restartedFrom, @Nullable String concurrencyKey, @Nullable QueueView queue) {
        RunView view = RunView.of(run);
        return new RunDetailView(view.id(), view.type(), view.status(), view.createdAt(), view.completedAt(), view.cancelRequested(),
                view.failure(), input, result, restartedFrom, concurrencyKey, queue);
    }

    public WorkflowSummary toSummary() {
        return new RunView(id, type, status, createdAt, completedAt, cancelRequested, failure).toSummary();
    }
}
