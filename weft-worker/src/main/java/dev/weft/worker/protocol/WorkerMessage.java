package dev.weft.worker.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** What a worker sends: a registration, heartbeats, and the results of its tasks. */
public sealed interface WorkerMessage {

    /** The first frame of a socket: who the worker is and which activities it runs. */
    record Register(int protocolVersion, String workerId, List<String> activities, int concurrency, @Nullable String queue,
            @Nullable String deploymentName, @Nullable String buildId, @Nullable String runtimeVersion, @Nullable String gitSha,
            @Nullable String startedAt, @Nullable JsonNode capabilities) implements WorkerMessage {

        public Register {
            activities = List.copyOf(activities);
        }

        /** A registration with the metadata left out. */
        public static Register of(String workerId, List<String> activities, int concurrency, String queue) {
            return new Register(Protocol.VERSION, workerId, activities, concurrency, queue, null, null, null, null, null, null);
        }
    }

    /** The worker is alive and its tasks are still running. */
    record Heartbeat(String workerId) implements WorkerMessage {
    }

    /**
     * How one task ended.
     *
     * @param value the result when {@code completed} ({@code null} is a result); ignored otherwise
     * @param error what went wrong when {@code failed} or {@code cancelled}
     */
    record TaskResult(String operationId, Status status, @Nullable JsonNode value, @Nullable String error)
            implements WorkerMessage {

        public static TaskResult completed(String operationId, @Nullable JsonNode value) {
            return new TaskResult(operationId, Status.COMPLETED, value, null);
        }

        public static TaskResult failed(String operationId, String error) {
            return new TaskResult(operationId, Status.FAILED, null, error);
        }

        public static TaskResult cancelled(String operationId, String error) {
            return new TaskResult(operationId, Status.CANCELLED, null, error);
        }
    }

    /** How a task ended, as the wire spells it. */
    enum Status {
        COMPLETED("completed"), FAILED("failed"), CANCELLED("cancelled");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static @Nullable Status of(String wire) {
            for (Status status : values()) {
                if (status.wire.equals(wire)) {
                    return status;
                }
            }
            return null;
        }
    }
}
