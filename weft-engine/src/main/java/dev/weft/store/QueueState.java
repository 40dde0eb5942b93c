package dev.weft.store;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One queue as the database sees it now.
 *
 * @param depth tasks waiting to be claimed (never claimed, or whose claim expired)
 * @param inFlight tasks under a live claim
 * @param oldestWaiting how long the oldest waiting task has waited; {@code null} when none waits
 * @param expiredClaims tasks whose claim expired and that wait to be claimed again
 */
public record QueueState(String name, boolean paused, QueueSettings settings, long depth, long inFlight,
        @Nullable Duration oldestWaiting, long expiredClaims) {
}
