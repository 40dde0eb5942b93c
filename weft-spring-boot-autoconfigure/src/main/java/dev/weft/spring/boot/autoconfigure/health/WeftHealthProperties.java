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

    /**
     * How old the last heartbeat of a remote worker connected to this node may be before the health
     * indicator's {@code remoteWorkerHeartbeat} detail warns of the worker.
     */
    private Duration remoteWorkerHeartbeatAfter = Duration.ofSeconds(20);

    public Duration getRemoteWorkerHeartbeatAfter() {
        return remoteWorkerHeartbeatAfter;
    }

    public void setRemoteWorkerHeartbeatAfter(Duration remoteWorkerHeartbeatAfter) {
        if (remoteWorkerHeartbeatAfter.isNegative() || remoteWorkerHeartbeatAfter.isZero()) {
            throw new IllegalArgumentException("weft.health.remote-worker-heartbeat-after must be positive, was "
                    + remoteWorkerHeartbeatAfter);
        }
        this.remoteWorkerHeartbeatAfter = remoteWorkerHeartbeatAfter;
    }

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
