package dev.weft;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An activity attempt of a run waiting for its out-of-band completion.
 *
 * @param token the token that completes or fails it
 * @param scheduledAt when the step was first scheduled
 */
public record PendingAsyncActivity(String token, String activityName, long seq, int attempt, @Nullable Instant scheduledAt) {
}
