package dev.weft.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One remote worker in {@code GET /workers}, as upstream Weft lists it. Times are ISO-8601, ages milliseconds.
 *
 * @param health {@code active}, {@code draining} or {@code drained}
 * @param connected whether its socket is open now (otherwise it is within the reconnect grace)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerView(String id, String queue, List<String> activities, int concurrency, int inFlight, int availableCapacity,
        String connectedAt, String lastHeartbeatAt, long heartbeatAgeMs, String health, boolean connected,
        @Nullable String deploymentName, @Nullable String buildId, @Nullable String runtimeVersion, @Nullable String gitSha,
        @Nullable String startedAt) {

    public WorkerView {
        activities = List.copyOf(activities);
    }
}
