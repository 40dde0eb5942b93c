package dev.weft.spring.boot.actuate.metrics;

import dev.weft.spring.remote.RemoteWorkerInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Micrometer meters of the remote workers connected to this node (read from memory, no database):
 *
 * <ul>
 * <li>{@code weft.remote.workers}: workers registered here, those within their reconnect grace included;
 * <li>{@code weft.remote.workers.connected}: those of them whose socket is open now;
 * <li>{@code weft.remote.tasks.in.flight}: tasks assigned to them;
 * <li>{@code weft.remote.heartbeat.age}: seconds since the least recent heartbeat of a connected worker (0 without any).
 * </ul>
 */
public class WeftRemoteWorkerMetrics {

    public WeftRemoteWorkerMetrics(MeterRegistry registry, Supplier<List<RemoteWorkerInfo>> workers) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(workers, "workers");
        // a gauge holds what it reads weakly: the supplier is often a lambda that nothing else keeps, and would read NaN after a GC
        Gauge.builder("weft.remote.workers", workers, source -> source.get().size())
                .description("Remote workers registered on this node").strongReference(true).register(registry);
        Gauge.builder("weft.remote.workers.connected", workers,
                        source -> source.get().stream().filter(RemoteWorkerInfo::connected).count())
                .description("Remote workers connected to this node now (not within their reconnect grace)")
                .strongReference(true).register(registry);
        Gauge.builder("weft.remote.tasks.in.flight", workers, source -> source.get().stream().mapToInt(RemoteWorkerInfo::inFlight).sum())
                .description("Tasks assigned to the remote workers of this node").strongReference(true).register(registry);
        Gauge.builder("weft.remote.heartbeat.age", workers, source -> source.get().stream().filter(RemoteWorkerInfo::connected)
                .map(RemoteWorkerInfo::heartbeatAge).max(Duration::compareTo).orElse(Duration.ZERO).toMillis() / 1000.0)
                .description("Seconds since the least recent heartbeat of a connected remote worker").baseUnit("seconds")
                .strongReference(true).register(registry);
    }
}
