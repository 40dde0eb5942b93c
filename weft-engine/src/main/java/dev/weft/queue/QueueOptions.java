package dev.weft.queue;

import dev.weft.failure.InvalidDefinitionException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a node serves one activity queue: how many of its tasks this node runs at once, and the
 * queue's cluster-wide settings, which every node's claims obey. A node that starts with these
 * options writes the cluster-wide ones to the database; {@link TaskQueues#configure} changes them
 * at runtime (until the next node starts with other options).
 *
 * @param concurrency the most tasks of the queue this node runs at once
 * @param maxInFlight the most tasks of the queue running at once across all nodes; {@code null} for no limit
 * @param rateLimit the most tasks started per {@code ratePeriod} across all nodes; {@code null} for no limit
 * @param ratePeriod the period of {@code rateLimit}
 * @param fair whether tasks of different fairness keys take turns
 */
public record QueueOptions(int concurrency, @Nullable Integer maxInFlight, @Nullable Integer rateLimit,
        @Nullable Duration ratePeriod, boolean fair) {

    /** The tasks of a queue one node runs at once unless configured. */
    public static final int DEFAULT_CONCURRENCY = 10;

    public QueueOptions {
        if (concurrency < 1 || concurrency > 10_000) {
            throw new InvalidDefinitionException("a queue's concurrency must be between 1 and 10000, got " + concurrency);
        }
        if (maxInFlight != null && maxInFlight < 1) {
            throw new InvalidDefinitionException("a queue's maxInFlight must be at least 1, got " + maxInFlight);
        }
        if ((rateLimit == null) != (ratePeriod == null)) {
            throw new InvalidDefinitionException("a queue's rate limit needs both a count and a period");
        }
        if (rateLimit != null && rateLimit < 1) {
            throw new InvalidDefinitionException("a queue's rate limit must be at least 1 per period, got " + rateLimit);
        }
        if (ratePeriod != null && ratePeriod.toMillis() < 1) {
            throw new InvalidDefinitionException("a queue's rate period must be at least 1 ms, got " + ratePeriod);
        }
    }

    /** {@code concurrency} tasks at once on this node, and no cluster-wide limit. */
    public static QueueOptions concurrency(int concurrency) {
        return new QueueOptions(concurrency, null, null, null, false);
    }

    public static QueueOptions defaults() {
        return concurrency(DEFAULT_CONCURRENCY);
    }

    public QueueOptions withMaxInFlight(int limit) {
        return new QueueOptions(concurrency, limit, rateLimit, ratePeriod, fair);
    }

    public QueueOptions withRateLimit(int starts, Duration period) {
        return new QueueOptions(concurrency, maxInFlight, starts, period, fair);
    }

    public QueueOptions withFairness() {
        return new QueueOptions(concurrency, maxInFlight, rateLimit, ratePeriod, true);
    }
}
