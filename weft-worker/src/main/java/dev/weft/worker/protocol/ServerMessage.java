package dev.weft.worker.protocol;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** What an engine sends a worker. A worker ignores message types it does not know. */
public sealed interface ServerMessage {

    /** The registration was accepted, with the concurrency the server will respect. */
    record RegisterAck(int protocolVersion, String workerId, String queue, List<String> activities, int concurrency)
            implements ServerMessage {
    }

    /** The registration was refused; the socket is closed with {@link Protocol#CLOSE_POLICY_VIOLATION}. */
    record RegisterError(String code, String message, List<Integer> supportedProtocolVersions,
            @Nullable Integer requestedProtocolVersion) implements ServerMessage {
    }

    /** A frame broke the protocol or was refused; unless it was a stale result, the socket is closed with 1002. */
    record ProtocolError(String code, String message) implements ServerMessage {
    }

    /** Run an activity. */
    record Task(String operationId, String activityName, @Nullable JsonNode input, @Nullable Integer attempt,
            @Nullable Map<String, String> headers) implements ServerMessage {
    }

    /** Stop the task: its run was cancelled or ended, or its claim was lost. */
    record Cancel(String operationId) implements ServerMessage {
    }

    /** Finish the tasks in hand, take no more, and disconnect. */
    record Shutdown() implements ServerMessage {
    }
}
