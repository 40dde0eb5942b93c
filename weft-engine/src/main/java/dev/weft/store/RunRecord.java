package dev.weft.store;

import dev.weft.failure.FailureInfo;
import dev.weft.WorkflowStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A run as stored.
 *
 * @param owner the node that holds the lease, or {@code null} for a finished or released run
 * @param epoch the fencing epoch, raised by one at each claim
 * @param leaseExpiresAt when the owner's lease lapses (database clock)
 * @param cancelRequested whether a cancellation was asked for; it stays set once the run has ended
 * @param deadline when the run times out (engine clock), or {@code null}
 * @param version the version of the workflow definition that started it
 * @param parentId the run that started this one as a child, or {@code null}
 * @param restartedFrom the ended run whose idempotency key this run took over, or {@code null}
 * @param concurrencyKey the concurrency key the run was started under, or {@code null}
 */
public record RunRecord(
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
        long parentSeq,
        int depth,
        @Nullable String restartedFrom,
        @Nullable String concurrencyKey) {
}
