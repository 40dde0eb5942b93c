package dev.weft.spring.boot.autoconfigure.health;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the {@code weft} health indicator, under {@code weft.health.*}. */
@ConfigurationProperties("weft.health")
public class WeftHealthProperties {

    /**
     * How long a running run may stay without a live owner (its lease lapsed and nobody adopted
     * it) before the health indicator counts it as overdue. Defaults to the lease ({@code weft.lease}).
     */
    private @Nullable Duration overdueAfter;

    /**
     * How long the oldest waiting task of an activity queue may wait before the health indicator's
     * {@code queueBacklog} detail warns of the queue.
     */
    private Duration queueBacklogAfter = Duration.ofMinutes(5);

    public Duration getQueueBacklogAfter() {
        return queueBacklogAfter;
    }

    public void setQueueBacklogAfter(Duration queueBacklogAfter) {
        this.queueBacklogAfter = queueBacklogAfter;
    }

    public @Nullable Duration getOverdueAfter() {
        return overdueAfter;
    }

    public void setOverdueAfter(@Nullable Duration overdueAfter) {
        this.overdueAfter = overdueAfter;
    }
}
