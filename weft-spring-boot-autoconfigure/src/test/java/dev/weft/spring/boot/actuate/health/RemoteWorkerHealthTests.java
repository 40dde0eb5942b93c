package dev.weft.spring.boot.actuate.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.weft.spring.remote.RemoteWorkerInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;

class RemoteWorkerHealthTests {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    /** A worker of queue {@code q} with four slots, whose last heartbeat was {@code age} ago. */
    static RemoteWorkerInfo worker(String id, int inFlight, Duration age, boolean connected) {
        return new RemoteWorkerInfo(id, "q", List.of("echo"), 4, inFlight, 4 - inFlight, NOW.minusSeconds(600), NOW.minus(age), age,
                "active", connected, null, null, "java 21", null, null);
    }

    private static Map<String, Object> details(RemoteWorkerHealth health) {
        Health.Builder builder = Health.up();
        health.addTo(builder);
        return builder.build().getDetails();
    }

    @Test
    void countsConnectedAndReconnectingWorkersTheirTasksAndTheOldestHeartbeat() {
        RemoteWorkerHealth health = new RemoteWorkerHealth(() -> List.of(worker("a", 1, Duration.ofSeconds(3), true),
                worker("b", 3, Duration.ofSeconds(7), true), worker("c", 2, Duration.ofSeconds(90), false)), Duration.ofSeconds(20));

        Map<String, Object> details = details(health);

        assertThat(details.get("remoteWorkers")).isEqualTo(Map.of("connected", 2, "reconnecting", 1, "inFlight", 6,
                "availableCapacity", 4, "oldestHeartbeatAge", "PT7S"));
        assertThat(details).containsEntry("remoteWorkerHeartbeat", "ok");
    }

    @Test
    void warnsOfConnectedWorkersWhoseHeartbeatIsOlderThanTheThreshold() {
        RemoteWorkerHealth health = new RemoteWorkerHealth(() -> List.of(worker("fresh", 0, Duration.ofSeconds(20), true),
                worker("hung", 1, Duration.ofSeconds(21), true), worker("away", 1, Duration.ofMinutes(5), false)),
                Duration.ofSeconds(20));

        Map<String, Object> details = details(health);

        assertThat(details).containsEntry("remoteWorkerHeartbeat", "warning: no heartbeat from [hung] for longer than PT20S");
        assertThat(details.get("remoteWorkers")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("oldestHeartbeatAge", "PT21S");
    }

    @Test
    void withoutWorkersEverythingIsZero() {
        Map<String, Object> details = details(new RemoteWorkerHealth(List::of, Duration.ofSeconds(20)));

        assertThat(details.get("remoteWorkers")).isEqualTo(Map.of("connected", 0, "reconnecting", 0, "inFlight", 0,
                "availableCapacity", 0, "oldestHeartbeatAge", "PT0S"));
        assertThat(details).containsEntry("remoteWorkerHeartbeat", "ok");
    }

    @Test
    void refusesAThresholdThatIsNotPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RemoteWorkerHealth(List::of, Duration.ZERO))
                .withMessageContaining("heartbeatAfter must be positive");
    }
}
