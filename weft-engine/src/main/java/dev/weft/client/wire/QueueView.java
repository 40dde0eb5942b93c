package dev.weft.client.wire;

import dev.weft.QueuePosition;
import java.time.Instant;

/**
 * Where a queued run stands: {@code position} 1 starts next; {@code ageMillis} is how long it has
 * waited, by the clock of the node that answered.
 */
public record QueueView(String concurrencyKey, long position, int limit, Instant queuedAt, long ageMillis) {

    public static QueueView of(QueuePosition place, Instant now) {
        return new QueueView(place.concurrencyKey(), place.position(), place.limit(), place.queuedAt(), place.age(now).toMillis());
    }
}
