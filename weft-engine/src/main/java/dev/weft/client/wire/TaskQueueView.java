package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.weft.queue.QueueInfo;
import org.jspecify.annotations.Nullable;

/**
 * One activity queue in {@code GET /task-queues}: its settings, what it holds, and how the
 * answering node serves it. Durations are milliseconds.
 *
 * @param oldestWaitingMillis how long the oldest waiting task has waited; absent when none waits
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskQueueView(String name, boolean paused, @Nullable Integer maxInFlight, @Nullable Integer rateLimit,
        @Nullable Long ratePeriodMillis, boolean fair, long depth, long inFlight, @Nullable Long oldestWaitingMillis,
        long expiredClaims, boolean servedHere, int runningHere, long claimedHere) {

    public static TaskQueueView of(QueueInfo queue) {
        return new TaskQueueView(queue.name(), queue.paused(), queue.maxInFlight(), queue.rateLimit(),
                queue.ratePeriod() == null ? null : queue.ratePeriod().toMillis(), queue.fair(), queue.depth(), queue.inFlight(),
                queue.oldestWaiting() == null ? null : queue.oldestWaiting().toMillis(), queue.expiredClaims(), queue.servedHere(),
                queue.runningHere(), queue.claimedHere());
    }
}
