package dev.weft.store;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The cluster-wide settings of one queue, kept in the database and enforced by the claim statement
 * for every node alike.
 *
 * @param maxInFlight the most tasks claimed and not finished at once, across all nodes; {@code null} for no limit
 * @param rateLimit the most tasks started per {@code ratePeriod}, across all nodes; {@code null} for no limit
 * @param ratePeriod the period of {@code rateLimit}
 * @param fair whether tasks of different fairness keys take turns (within one priority), so that
 *     one key with many tasks does not hold back the others; otherwise tasks go by priority, then age
 */
public record QueueSettings(@Nullable Integer maxInFlight, @Nullable Integer rateLimit, @Nullable Duration ratePeriod,
        boolean fair) {

    public static final QueueSettings NONE = new QueueSettings(null, null, null, false);

    public QueueSettings {
        if (maxInFlight != null && maxInFlight < 1) {
            throw new IllegalArgumentException("a queue's maxInFlight must be at least 1, got " + maxInFlight);
        }
        if ((rateLimit == null) != (ratePeriod == null)) {
            throw new IllegalArgumentException("a queue's rate limit needs both a count and a period");
        }
        if (rateLimit != null && rateLimit < 1) {
            throw new IllegalArgumentException("a queue's rate limit must be at least 1 per period, got " + rateLimit);
        }
        if (ratePeriod != null && (ratePeriod.isNegative() || ratePeriod.toMillis() < 1)) {
            throw new IllegalArgumentException("a queue's rate period must be at least 1 ms, got " + ratePeriod);
        }
    }

    /** Whether claims must count against the database: a limit shared by every node. */
    public boolean limited() {
        return maxInFlight != null || rateLimit != null;
    }
}
