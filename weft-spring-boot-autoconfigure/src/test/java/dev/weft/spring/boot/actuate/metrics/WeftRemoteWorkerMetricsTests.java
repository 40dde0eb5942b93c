package dev.weft.spring.boot.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spring.remote.RemoteWorkerInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class WeftRemoteWorkerMetricsTests {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<RemoteWorkerInfo> workers = new CopyOnWriteArrayList<>();

    private static RemoteWorkerInfo worker(String id, int inFlight, Duration age, boolean connected) {
        return new RemoteWorkerInfo(id, "q", List.of("echo"), 4, inFlight, 4 - inFlight, NOW.minusSeconds(600), NOW.minus(age), age,
                "active", connected, null, null, null, null, null);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void gaugesFollowTheWorkersAsTheyComeAndGo() {
        new WeftRemoteWorkerMetrics(registry, () -> List.copyOf(workers));
        assertThat(gauge("weft.remote.workers")).isZero();
        assertThat(gauge("weft.remote.heartbeat.age")).isZero();

        workers.add(worker("a", 2, Duration.ofMillis(1500), true));
        workers.add(worker("b", 1, Duration.ofSeconds(4), true));
        workers.add(worker("c", 3, Duration.ofSeconds(60), false));

        assertThat(gauge("weft.remote.workers")).isEqualTo(3);
        assertThat(gauge("weft.remote.workers.connected")).isEqualTo(2);
        assertThat(gauge("weft.remote.tasks.in.flight")).isEqualTo(6);
        assertThat(gauge("weft.remote.heartbeat.age")).as("of connected workers only").isEqualTo(4.0);

        workers.removeIf(worker -> worker.id().equals("b"));

        assertThat(gauge("weft.remote.workers.connected")).isEqualTo(1);
        assertThat(gauge("weft.remote.heartbeat.age")).isEqualTo(1.5);
    }

    @Test
    void gaugesKeepReadingWhenNothingButTheRegistryHoldsTheSupplier() {
        List<RemoteWorkerInfo> one = List.of(worker("a", 1, Duration.ofSeconds(1), true));
        // as the auto-configuration does: a lambda made for the meters alone
        new WeftRemoteWorkerMetrics(registry, () -> one);

        for (int i = 0; i < 3; i++) {
            System.gc();
        }

        assertThat(gauge("weft.remote.workers.connected")).isEqualTo(1);
        assertThat(gauge("weft.remote.tasks.in.flight")).isEqualTo(1);
    }
}
