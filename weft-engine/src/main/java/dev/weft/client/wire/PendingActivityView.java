package dev.weft.client.wire;

import dev.weft.PendingAsyncActivity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An async activity attempt waiting for its completion.
 *
 * @param step the activity's sequence number in the run
 * @param createdAt when the step was first scheduled
 */
public record PendingActivityView(String token, String activityName, long step, int attempt,
        @Nullable Instant createdAt) {

    public static PendingActivityView of(PendingAsyncActivity pending) {
        return new PendingActivityView(pending.token(), pending.activityName(), pending.seq(), pending.attempt(), pending.scheduledAt());
    }

    public PendingAsyncActivity toPending() {
        return new PendingAsyncActivity(token, activityName, step, attempt, createdAt);
    }
}
