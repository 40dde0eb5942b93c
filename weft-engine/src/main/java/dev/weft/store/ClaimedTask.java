package dev.weft.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A task a worker pool claimed: it may run the activity, and may write the outcome only under
 * {@code claimToken}, until {@code expiresAt} unless it extends the claim.
 *
 * @param claims how many times the task was claimed, this claim included: more than one means an
 *     earlier claim expired (its worker died or lost the database)
 */
public record ClaimedTask(String runId, long seq, int attempt, String queue, String activity, String inputJson,
        String claimToken, int claims, Duration visibilityTimeout, Instant enqueuedAt, Instant expiresAt) {
}
