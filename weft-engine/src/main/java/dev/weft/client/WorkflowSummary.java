package dev.weft.client;

import dev.weft.failure.FailureInfo;
import dev.weft.WorkflowStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a client sees of a run: its identity and state, without its payloads.
 *
 * @param failure the failure that ended it when it failed (without stack trace over HTTP)
 * @param cancelRequested whether a cancellation was asked for (true on every cancelled run, and on a run that ended otherwise before it could act on the request)
 */
public record WorkflowSummary(String id, String type, WorkflowStatus status, Instant createdAt, @Nullable Instant completedAt,
        @Nullable FailureInfo failure, boolean cancelRequested) {
}
