package dev.weft.spring.boot.actuate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.event.EngineEvent;
import dev.weft.event.EngineEvent.WakeReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WeftMetricsTests {

    private static final Instant NOW = Instant.parse("2026-12-06T18:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WeftMetrics metrics = new WeftMetrics(registry, () -> 0);

    @Test
    void wakeUpsAreCountedByReasonAndApartFromRecoveries() {
        metrics.onEvent(new EngineEvent.WorkflowWoken(NOW, "o-1", "orders", 2, WakeReason.TIMER));
        metrics.onEvent(new EngineEvent.WorkflowWoken(NOW, "o-2", "orders", 2, WakeReason.TIMER));
        metrics.onEvent(new EngineEvent.WorkflowWoken(NOW, "o-3", "orders", 3, WakeReason.REQUEST));
        metrics.onEvent(new EngineEvent.WorkflowWoken(NOW, "o-4", "orders", 3, WakeReason.ENGINE_START));
        metrics.onEvent(new EngineEvent.WorkflowRecovered(NOW, "o-5", "orders", 4));

        assertThat(woken("timer")).isEqualTo(2);
        assertThat(woken("request")).isEqualTo(1);
        assertThat(woken("engine-start")).isEqualTo(1);
        assertThat(registry.get("weft.workflows.recovered").tag(WeftMetrics.WORKFLOW_TYPE, "orders").counter().count()).isEqualTo(1);
    }

    private double woken(String reason) {
        return registry.get("weft.workflows.woken").tags(WeftMetrics.WORKFLOW_TYPE, "orders", WeftMetrics.REASON, reason).counter().count();
    }
}
