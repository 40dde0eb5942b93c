package dev.weft.spring.boot.actuate.health;

import dev.weft.spring.remote.RemoteWorkerInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;

/**
 * The remote worker details of the {@code weft} health indicator, read from this node's memory: the
 * {@code remoteWorkers} detail counts the workers connected to this node, those within their
 * reconnect grace, their tasks in flight and free slots, and the oldest heartbeat age of a
 * connected worker; {@code remoteWorkerHeartbeat} is {@code warning} (naming the workers) when a
 * connected worker's last heartbeat is older than {@code heartbeatAfter}: a worker that hangs, or a
 * network that drops its frames. Like the queue backlog it is a detail, not a status: the node
 * itself is well, and it disconnects a worker silent past its heartbeat timeout on its own.
 */
public final class RemoteWorkerHealth {

    private final Supplier<List<RemoteWorkerInfo>> workers;

    private final Duration heartbeatAfter;

    /**
     * @param workers the remote workers of this node (as {@code RemoteWorkerHub#workers()} lists them)
     * @param heartbeatAfter how old a connected worker's last heartbeat may be before the detail warns
     */
    public RemoteWorkerHealth(Supplier<List<RemoteWorkerInfo>> workers, Duration heartbeatAfter) {
        this.workers = Objects.requireNonNull(workers, "workers");
        if (heartbeatAfter.isNegative() || heartbeatAfter.isZero()) {
            throw new IllegalArgumentException("heartbeatAfter must be positive, was " + heartbeatAfter);
        }
        this.heartbeatAfter = heartbeatAfter;
    }

    void addTo(Health.Builder builder) {
        List<RemoteWorkerInfo> all = workers.get();
        List<RemoteWorkerInfo> connected = all.stream().filter(RemoteWorkerInfo::connected).toList();
        Duration oldest = connected.stream().map(RemoteWorkerInfo::heartbeatAge).max(Duration::compareTo).orElse(Duration.ZERO);
        List<String> silent = connected.stream().filter(worker -> worker.heartbeatAge().compareTo(heartbeatAfter) > 0)
                .map(RemoteWorkerInfo::id).toList();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("connected", connected.size());
        detail.put("reconnecting", all.size() - connected.size());
        detail.put("inFlight", all.stream().mapToInt(RemoteWorkerInfo::inFlight).sum());
        detail.put("availableCapacity", connected.stream().mapToInt(RemoteWorkerInfo::availableCapacity).sum());
        detail.put("oldestHeartbeatAge", oldest.toString());
        builder.withDetail("remoteWorkers", detail)
                .withDetail("remoteWorkerHeartbeat", silent.isEmpty() ? "ok" : "warning: no heartbeat from " + silent
                        + " for longer than " + heartbeatAfter);
    }
}
