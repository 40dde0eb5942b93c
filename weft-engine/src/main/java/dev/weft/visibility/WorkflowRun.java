package dev.weft.visibility;

import dev.weft.WorkflowStatus;
import dev.weft.client.WorkflowSummary;
import dev.weft.failure.FailureInfo;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One run as readers see it: its identity, state, payloads and ownership.
 *
 * @param input the run's input as JSON text
 * @param result the run's result as JSON text, once it completed
 * @param failure the failure that ended it when it failed
 * @param owner the node that holds the run's lease, or {@code null} for a finished or released run
 * @param epoch the fencing epoch, raised by one at each claim
 * @param leaseExpiresAt when the owner's lease lapses (database clock)
 * @param cancelRequested whether a cancellation was asked for (true on every cancelled run, and on a run that ended otherwise before it could act on the request)
 * @param deadline when the run times out, or {@code null}
 * @param version the version of the workflow definition that started it
 * @param parentId the run that started this one as a child, or {@code null}
 * @param depth how deep this run is nested under parents, 0 for a top-level run
 * @param restartedFrom the ended run whose idempotency key this run took over, or {@code null}
 * @param concurrencyKey the concurrency key the run was started under, or {@code null}
 */
public record WorkflowRun(
        String id,
        String type,
        WorkflowStatus status,
        String input,
        @Nullable String result,
        @Nullable FailureInfo failure,
        @Nullable String owner,
        long epoch,
        @Nullable Instant leaseExpiresAt,
        boolean cancelRequested,
        Instant createdAt,
        @Nullable Instant completedAt,
        @Nullable Instant deadline,
        int version,
        @Nullable String parentId,
        int depth,
        @Nullable String restartedFrom,
        @Nullable String concurrencyKey) {

    /** What a client sees of this run: without payloads and ownership. */
    public WorkflowSummary summary() {
        return new WorkflowSummary(id, type, status, createdAt, completedAt, failure, cancelRequested);
    }
}
