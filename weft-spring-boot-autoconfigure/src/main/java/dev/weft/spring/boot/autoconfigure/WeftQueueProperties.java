package dev.weft.spring.boot.autoconfigure;

import dev.weft.queue.QueueOptions;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** One activity queue's settings, under {@code weft.queues.<name>.*}; see {@code docs/queues.md}. */
public class WeftQueueProperties {

    /** The most tasks of the queue this node runs at once. */
    private int concurrency = QueueOptions.DEFAULT_CONCURRENCY;

    /** The most tasks of the queue running at once across all nodes; no limit when unset. */
    private @Nullable Integer maxInFlight;

    /** The most tasks of the queue started per {@code rate-period} across all nodes; no limit when unset. */
    private @Nullable Integer rateLimit;

    /** The period of {@code rate-limit}. */
    private Duration ratePeriod = Duration.ofSeconds(1);

    /** Whether tasks of different fairness keys take turns, so one key's backlog holds no other back. */
    private boolean fair;

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public @Nullable Integer getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(@Nullable Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public @Nullable Integer getRateLimit() {
        return rateLimit;
    }

    public void setRateLimit(@Nullable Integer rateLimit) {
        this.rateLimit = rateLimit;
    }

    public Duration getRatePeriod() {
        return ratePeriod;
    }

    public void setRatePeriod(Duration ratePeriod) {
        this.ratePeriod = ratePeriod;
    }

    public boolean isFair() {
        return fair;
    }

    public void setFair(boolean fair) {
        this.fair = fair;
    }

    /**
     * These settings as the engine's options.
     *
     * @throws dev.weft.failure.InvalidDefinitionException naming the setting that is out of range
     */
    public QueueOptions toOptions() {
        QueueOptions options = QueueOptions.concurrency(concurrency);
        if (maxInFlight != null) {
            options = options.withMaxInFlight(maxInFlight);
        }
        if (rateLimit != null) {
            options = options.withRateLimit(rateLimit, ratePeriod);
        }
        return fair ? options.withFairness() : options;
    }
}
