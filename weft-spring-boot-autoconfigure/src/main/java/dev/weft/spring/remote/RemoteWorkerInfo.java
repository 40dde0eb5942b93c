package dev.weft.spring.remote;

import dev.weft.worker.protocol.WorkerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One remote worker connected to this node, as {@code GET /api/v1/workers} and Actuator show it.
 *
 * @param health {@code active}, {@code draining} (with tasks in hand) or {@code drained}
 * @param connected whether its socket is open (otherwise it is within the reconnect grace)
 */
public record RemoteWorkerInfo(String id, String queue, List<String> activities, int concurrency, int inFlight,
        int availableCapacity, Instant connectedAt, Instant lastHeartbeatAt, Duration heartbeatAge, String health,
        boolean connected, @Nullable String deploymentName, @Nullable String buildId, @Nullable String runtimeVersion,
        @Nullable String gitSha, @Nullable String startedAt) {

    static RemoteWorkerInfo of(ConnectedWorker worker, Instant now) {
        WorkerMessage.Register registration = worker.registration();
        Duration age = Duration.between(worker.lastHeartbeat(), now);
        return new RemoteWorkerInfo(worker.id(), worker.queue(), registration.activities(), registration.concurrency(),
                worker.inFlight(), worker.isDraining() ? 0 : worker.idleSlots(), worker.connectedAt(), worker.lastHeartbeat(),
                age.isNegative() ? Duration.ZERO : age, worker.health(), worker.isConnected(), registration.deploymentName(),
                registration.buildId(), registration.runtimeVersion(), registration.gitSha(), registration.startedAt());
    }
}
