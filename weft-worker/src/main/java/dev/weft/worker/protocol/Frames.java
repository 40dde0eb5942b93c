package dev.weft.worker.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the protocol's frames: JSON objects with a {@code type}. Reading validates every
 * field a frame's type defines and names the first one that is wrong; unknown fields are ignored,
 * as upstream Weft does.
 */
public final class Frames {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Frames() {
    }

    /**
     * Reads a frame a worker sent.
     *
     * @throws FrameRejected naming the protocol's code and what is wrong
     */
    public static WorkerMessage readWorker(String text) {
        ObjectNode frame = object(text);
        String type = typeOf(frame);
        return switch (type) {
            case "register" -> register(frame);
            case "heartbeat" -> new WorkerMessage.Heartbeat(name(frame, "workerId", Protocol.INVALID_MESSAGE));
            case "taskResult" -> taskResult(frame);
            default -> throw FrameRejected.protocol(Protocol.UNKNOWN_MESSAGE_TYPE, "Unknown message type '" + clip(type) + "'");
        };
    }

    /** Reads a frame a server sent; empty for a type this version does not know (workers ignore those). */
    public static Optional<ServerMessage> readServer(String text) {
        ObjectNode frame = object(text);
        return Optional.ofNullable(switch (typeOf(frame)) {
            case "registerAck" -> new ServerMessage.RegisterAck(frame.path("protocolVersion").asInt(Protocol.VERSION),
                    name(frame, "workerId", Protocol.INVALID_MESSAGE), frame.path("queue").asString("default"),
                    strings(frame.path("activities")), frame.path("concurrency").asInt(Protocol.DEFAULT_CONCURRENCY));
            case "registerError" -> new ServerMessage.RegisterError(frame.path("code").asString(""),
                    frame.path("message").asString(""), integers(frame.path("supportedProtocolVersions")),
                    frame.path("requestedProtocolVersion").isIntegralNumber() ? frame.get("requestedProtocolVersion").asInt() : null);
            case "protocolError" -> new ServerMessage.ProtocolError(frame.path("code").asString(""), frame.path("message").asString(""));
            case "task" -> task(frame);
            case "cancel" -> new ServerMessage.Cancel(name(frame, "operationId", Protocol.INVALID_MESSAGE));
            case "shutdown" -> new ServerMessage.Shutdown();
            default -> null;
        });
    }

    public static String write(WorkerMessage message) {
        ObjectNode frame = NODES.objectNode();
        switch (message) {
            case WorkerMessage.Register register -> {
                frame.put("type", "register").put("protocolVersion", register.protocolVersion()).put("workerId", register.workerId());
                ArrayNode activities = frame.putArray("activities");
                register.activities().forEach(activities::add);
                frame.put("concurrency", register.concurrency());
                optional(frame, "queue", register.queue());
                optional(frame, "deploymentName", register.deploymentName());
                optional(frame, "buildId", register.buildId());
                optional(frame, "runtimeVersion", register.runtimeVersion());
                optional(frame, "gitSha", register.gitSha());
                optional(frame, "startedAt", register.startedAt());
                if (register.capabilities() != null) {
                    frame.set("capabilities", register.capabilities());
                }
            }
            case WorkerMessage.Heartbeat heartbeat -> frame.put("type", "heartbeat").put("workerId", heartbeat.workerId());
            case WorkerMessage.TaskResult result -> {
                frame.put("type", "taskResult").put("operationId", result.operationId()).put("status", result.status().wire());
                if (result.status() == WorkerMessage.Status.COMPLETED) {
                    frame.set("value", result.value() == null ? NODES.nullNode() : result.value());
                } else {
                    frame.put("error", result.error() == null ? "" : result.error());
                    if (result.status() == WorkerMessage.Status.CANCELLED) {
                        frame.put("cancelled", true);
                    }
                }
            }
        }
        return frame.toString();
    }

    public static String write(ServerMessage message) {
        ObjectNode frame = NODES.objectNode();
        switch (message) {
            case ServerMessage.RegisterAck ack -> {
                frame.put("type", "registerAck").put("protocolVersion", ack.protocolVersion()).put("workerId", ack.workerId())
                        .put("queue", ack.queue());
                ArrayNode activities = frame.putArray("activities");
                ack.activities().forEach(activities::add);
                frame.put("concurrency", ack.concurrency());
            }
            case ServerMessage.RegisterError error -> {
                frame.put("type", "registerError").put("code", error.code()).put("message", error.message());
                ArrayNode versions = frame.putArray("supportedProtocolVersions");
                error.supportedProtocolVersions().forEach(versions::add);
                if (error.requestedProtocolVersion() != null) {
                    frame.put("requestedProtocolVersion", error.requestedProtocolVersion());
                }
            }
            case ServerMessage.ProtocolError error ->
                frame.put("type", "protocolError").put("code", error.code()).put("message", error.message());
            case ServerMessage.Task task -> {
                frame.put("type", "task").put("operationId", task.operationId()).put("activityName", task.activityName());
                frame.set("input", task.input() == null ? NODES.nullNode() : task.input());
                if (task.attempt() != null) {
                    frame.put("attempt", task.attempt());
                }
                if (task.headers() != null) {
                    ObjectNode headers = frame.putObject("headers");
                    task.headers().forEach(headers::put);
                }
            }
            case ServerMessage.Cancel cancel -> frame.put("type", "cancel").put("operationId", cancel.operationId());
            case ServerMessage.Shutdown shutdown -> frame.put("type", "shutdown");
        }
        return frame.toString();
    }

    /** Parses JSON text (a stored payload) into the node a frame carries. */
    public static JsonNode json(String text) {
        return MAPPER.readTree(text);
    }

    private static ObjectNode object(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw FrameRejected.protocol(Protocol.INVALID_JSON, "The frame is not valid JSON");
        }
        if (!(node instanceof ObjectNode frame)) {
            throw FrameRejected.protocol(Protocol.INVALID_MESSAGE, "A frame is a JSON object with a 'type'");
        }
        return frame;
    }

    private static String typeOf(ObjectNode frame) {
        JsonNode type = frame.get("type");
        if (type == null || !type.isString()) {
            throw FrameRejected.protocol(Protocol.INVALID_MESSAGE, "A frame needs a string 'type'");
        }
        return type.stringValue();
    }

    private static WorkerMessage.Register register(ObjectNode frame) {
        JsonNode version = frame.get("protocolVersion");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
            throw FrameRejected.registration(Protocol.INVALID_REGISTRATION, "'protocolVersion' must be an integer", null);
        }
        if (!Protocol.SUPPORTED_VERSIONS.contains(version.intValue())) {
            throw FrameRejected.registration(Protocol.UNSUPPORTED_PROTOCOL_VERSION, "Protocol version " + version.intValue()
                    + " is not supported; this server speaks " + Protocol.SUPPORTED_VERSIONS, version.intValue());
        }
        String workerId = name(frame, "workerId", Protocol.INVALID_REGISTRATION);
        JsonNode activities = frame.get("activities");
        if (activities == null || !activities.isArray() || activities.isEmpty() || activities.size() > Protocol.MAX_ACTIVITIES) {
            throw FrameRejected.registration(Protocol.INVALID_REGISTRATION,
                    "'activities' must be an array of 1 to " + Protocol.MAX_ACTIVITIES + " activity names", null);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode activity : activities) {
            if (!activity.isString() || !validName(activity.stringValue())) {
                throw FrameRejected.registration(Protocol.INVALID_REGISTRATION,
                        "every entry of 'activities' must be a name of 1 to " + Protocol.MAX_NAME_LENGTH + " characters", null);
            }
            if (!names.contains(activity.stringValue())) {
                names.add(activity.stringValue());
            }
        }
        int concurrency = Protocol.DEFAULT_CONCURRENCY;
        JsonNode given = frame.get("concurrency");
        if (given != null && !given.isNull()) {
            if (!given.isNumber()) {
                throw FrameRejected.registration(Protocol.INVALID_REGISTRATION, "'concurrency' must be a number", null);
            }
            concurrency = (int) Math.max(1, Math.min(Protocol.MAX_CONCURRENCY, given.asDouble()));
        }
        JsonNode capabilities = frame.get("capabilities");
        if (capabilities != null && !capabilities.isNull() && !capabilities.isObject()) {
            throw FrameRejected.registration(Protocol.INVALID_REGISTRATION, "'capabilities' must be an object", null);
        }
        return new WorkerMessage.Register(version.intValue(), workerId, names, concurrency, metadata(frame, "queue"),
                metadata(frame, "deploymentName"), metadata(frame, "buildId"), metadata(frame, "runtimeVersion"),
                metadata(frame, "gitSha"), metadata(frame, "startedAt"),
                capabilities == null || capabilities.isNull() ? null : capabilities);
    }

    private static WorkerMessage.TaskResult taskResult(ObjectNode frame) {
        String operationId = name(frame, "operationId", Protocol.INVALID_MESSAGE);
        JsonNode statusNode = frame.get("status");
        WorkerMessage.Status status = statusNode != null && statusNode.isString() ? WorkerMessage.Status.of(statusNode.stringValue()) : null;
        if (status == null) {
            throw FrameRejected.protocol(Protocol.INVALID_MESSAGE, "'status' must be 'completed', 'failed' or 'cancelled'");
        }
        if (status == WorkerMessage.Status.COMPLETED) {
            if (!frame.has("value")) {
                throw FrameRejected.protocol(Protocol.INVALID_MESSAGE, "A completed taskResult needs a 'value' (null is one)");
            }
            return WorkerMessage.TaskResult.completed(operationId, frame.get("value"));
        }
        JsonNode error = frame.get("error");
        if (error == null || !error.isString()) {
            throw FrameRejected.protocol(Protocol.INVALID_MESSAGE, "A " + status.wire() + " taskResult needs a string 'error'");
        }
        return new WorkerMessage.TaskResult(operationId, status, null, error.stringValue());
    }

    private static ServerMessage.Task task(ObjectNode frame) {
        Map<String, String> headers = null;
        if (frame.path("headers").isObject()) {
            headers = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> header : frame.get("headers").properties()) {
                headers.put(header.getKey(), header.getValue().asString(""));
            }
        }
        JsonNode attempt = frame.get("attempt");
        return new ServerMessage.Task(name(frame, "operationId", Protocol.INVALID_MESSAGE),
                name(frame, "activityName", Protocol.INVALID_MESSAGE), frame.get("input"),
                attempt != null && attempt.isIntegralNumber() ? attempt.asInt() : null, headers);
    }

    private static String name(ObjectNode frame, String field, String code) {
        JsonNode value = frame.get(field);
        if (value == null || !value.isString() || !validName(value.stringValue())) {
            String message = "'" + field + "' must be a string of 1 to " + Protocol.MAX_NAME_LENGTH + " characters";
            throw Protocol.INVALID_REGISTRATION.equals(code) ? FrameRejected.registration(code, message, null)
                    : FrameRejected.protocol(code, message);
        }
        return value.stringValue();
    }

    private static @Nullable String metadata(ObjectNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || value.stringValue().length() > Protocol.MAX_NAME_LENGTH) {
            throw FrameRejected.registration(Protocol.INVALID_REGISTRATION,
                    "'" + field + "' must be a string of at most " + Protocol.MAX_NAME_LENGTH + " characters", null);
        }
        return value.stringValue();
    }

    private static boolean validName(String name) {
        return !name.isBlank() && name.length() <= Protocol.MAX_NAME_LENGTH;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString("")));
        return values;
    }

    private static List<Integer> integers(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asInt()));
        return values;
    }

    private static void optional(ObjectNode frame, String field, @Nullable String value) {
        if (value != null) {
            frame.put(field, value);
        }
    }

    /** A client's string, cut short for an error message. */
    private static String clip(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
