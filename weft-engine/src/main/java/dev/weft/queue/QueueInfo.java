package dev.weft.queue;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One activity queue as the database sees it now, and how this node serves it.
 *
 * @param depth tasks waiting to be claimed
 * @param inFlight tasks under a live claim, on any node
 * @param oldestWaiting how long the oldest waiting task has waited; {@code null} when none waits
 * @param expiredClaims waiting tasks whose last claim expired (their worker died or lost the database)
 * @param servedHere whether this node runs the queue's tasks
 * @param runningHere the queue's tasks this node runs now
 * @param claimedHere the queue's tasks this node has claimed since it started
 */
public record QueueInfo(String name, boolean paused, @Nullable Integer maxInFlight, @Nullable Integer rateLimit,
        @Nullable Duration ratePeriod, boolean fair, long depth, long inFlight, @Nullable Duration oldestWaiting,
        long expiredClaims, boolean servedHere, int runningHere, long claimedHere) {
}
