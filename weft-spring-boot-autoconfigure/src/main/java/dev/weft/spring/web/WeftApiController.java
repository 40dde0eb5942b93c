package dev.weft.spring.web;

import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.NonRetryableException;
import dev.weft.failure.PayloadSizeExceededException;
import dev.weft.PendingAsyncActivity;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.failure.WeftException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.RunOwnedElsewhereException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.WorkflowStatus;
import dev.weft.client.EngineWorkflowClient;
import dev.weft.client.PageRequest;
import dev.weft.SignalWithStartResult;
import dev.weft.client.WorkflowFilter;
import dev.weft.failure.WorkflowNotTerminalException;
import dev.weft.client.WorkflowPage;
import dev.weft.client.WorkflowSummary;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST API of the engine under {@code /api/v1}, on upstream Weft's paths and JSON where they
 * overlap. Every answer, success or error, is JSON it writes itself; errors are
 * {@code {"error": message, "code": fault, "data": {...}}}, and unexpected failures are masked.
 */
@RestController
@RequestMapping(WeftApiController.BASE_PATH)
public class WeftApiController {

    /** Where the API lives. */
    public static final String BASE_PATH = "/api/v1";

    private static final Log LOG = LogFactory.getLog(WeftApiController.class);
    private static final int DEFAULT_PENDING_LIMIT = 50;
    private static final int MAX_PENDING_LIMIT = 200;
    private static final String PENDING_CURSOR = "pending-async:v1:";
    private static final int MAX_NAME_LENGTH = 200;

    private final WeftEngine engine;
    private final WorkflowStore store;
    private final EngineWorkflowClient client;
    private final JsonBodyReader bodies;
    private final JsonMapper mapper;
    private final Duration defaultResultWait;
    private final Duration maxResultWait;

    public WeftApiController(WeftEngine engine, WorkflowStore store, JsonBodyReader bodies, Duration defaultResultWait,
            Duration maxResultWait) {
        this.engine = engine;
        this.store = store;
        this.client = new EngineWorkflowClient(engine, store);
        this.bodies = bodies;
        this.mapper = bodies.mapper();
        this.defaultResultWait = defaultResultWait;
        this.maxResultWait = maxResultWait;
    }

    @PostMapping("/workflows")
    public ResponseEntity<byte[]> start(HttpServletRequest request) {
        JsonNode body = bodies.readObject(request);
        String type = requiredString(body, "type");
        StartOptions.Builder options = StartOptions.builder();
        String id = optionalString(body, "id");
        if (id != null) {
            try {
                options.id(id);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("id", "Field \"id\" is not a valid workflow id: " + e.getMessage());
            }
        }
        JsonNode input = body.get("input");
        WorkflowSummary run = client.start(type, input == null || input.isNull() ? null : input, options.build());
        URI location = URI.create(BASE_PATH + "/workflows/" + UriUtils.encodePathSegment(run.id(), StandardCharsets.UTF_8));
        return ResponseEntity.created(location).contentType(MediaType.APPLICATION_JSON).body(write(summary(run)));
    }

    @GetMapping("/workflows")
    public ResponseEntity<byte[]> list(@RequestParam(name = "status", required = false) @Nullable List<String> status,
            @RequestParam(name = "type", required = false) @Nullable String type,
            @RequestParam(name = "limit", required = false) @Nullable String limit,
            @RequestParam(name = "offset", required = false) @Nullable String offset,
            @RequestParam(name = "page", required = false) @Nullable String page,
            @RequestParam(name = "size", required = false) @Nullable String size) {
        Set<WorkflowStatus> statuses = EnumSet.noneOf(WorkflowStatus.class);
        if (status != null) {
            for (String each : status) {
                for (String name : each.split(",")) {
                    statuses.add(status(name.trim()));
                }
            }
        }
        PageRequest request = page(limit, offset, page, size);
        WorkflowPage found = client.list(new WorkflowFilter(statuses, type == null || type.isEmpty() ? null : type), request);
        ObjectNode answer = mapper.createObjectNode();
        ArrayNode items = answer.putArray("items");
        found.items().forEach(run -> items.add(summary(run)));
        answer.put("total", found.total());
        answer.put("offset", found.offset());
        answer.put("limit", found.limit());
        return ok(answer);
    }

    @GetMapping("/workflows/{id}")
    public ResponseEntity<byte[]> get(@PathVariable("id") String id) {
        RunRecord run = store.findRun(id).orElseThrow(() -> notFound(id));
        ObjectNode answer = summary(EngineWorkflowClient.summary(run));
        answer.set("input", payload(run.input()));
        answer.set("result", payload(run.result()));
        return ok(answer);
    }

    @GetMapping("/workflows/{id}/result")
    public ResponseEntity<byte[]> result(@PathVariable("id") String id,
            @RequestParam(name = "timeout", required = false) @Nullable String timeout) {
        Duration wait = resultWait(timeout);
        client.result(id, Object.class, wait);
        RunRecord run = store.findRun(id).orElseThrow(() -> notFound(id));
        ObjectNode answer = mapper.createObjectNode();
        answer.set("result", payload(run.result()));
        return ok(answer);
    }

    @PostMapping("/workflows/{id}/cancel")
    public ResponseEntity<byte[]> cancel(@PathVariable("id") String id) {
        return ok(idAnd(id, "cancelled", client.cancel(id)));
    }

    /** The answer of an operation on one run that says whether it changed anything: {@code {id, <field>: true|false}}. */
    private ObjectNode idAnd(String id, String field, boolean value) {
        ObjectNode answer = mapper.createObjectNode();
        answer.put("id", id);
        answer.put(field, value);
        return answer;
    }

    @PostMapping("/workflows/{id}/signal/{name}")
    public ResponseEntity<byte[]> signal(@PathVariable("id") String id, @PathVariable("name") String name,
            HttpServletRequest request) {
        JsonNode body = bodies.readObject(request);
        String signalName = signalName(name, "name");
        String signalId = signalId(body, "signalId");
        boolean delivered = client.signal(id, signalName, payloadOf(body, "payload"), signalId);
        ObjectNode answer = mapper.createObjectNode();
        answer.put("ok", true);
        answer.put("delivered", delivered);
        return ok(answer);
    }

    @PostMapping("/workflows/{id}/query/{name}")
    public ResponseEntity<byte[]> query(@PathVariable("id") String id, @PathVariable("name") String name,
            HttpServletRequest request) {
        JsonNode body = bodies.readObject(request);
        Object answer = client.query(id, name, payloadOf(body, "input"), Object.class);
        ObjectNode result = mapper.createObjectNode();
        result.set("result", mapper.valueToTree(answer));
        return ok(result);
    }

    @PostMapping("/workflows/start-or-signal")
    public ResponseEntity<byte[]> startOrSignal(HttpServletRequest request) {
        JsonNode body = bodies.readObject(request);
        String type = requiredString(body, "type");
        String id = requiredString(body, "id");
        StartOptions options;
        try {
            options = StartOptions.withId(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("id", "Field \"id\" is not a valid workflow id: " + e.getMessage());
        }
        JsonNode signal = body.get("signal");
        String name;
        Object payload;
        String signalId;
        if (signal != null && !signal.isNull()) {
            if (body.has("signalName")) {
                throw ApiException.invalid("signal", "Use either signal or signalName, not both");
            }
            if (!signal.isObject()) {
                throw ApiException.invalid("signal", "Field \"signal\" must be an object");
            }
            name = signalName(requiredString(signal, "name", "signal.name"), "signal.name");
            payload = payloadOf(signal, "payload");
            signalId = signalId(signal, "signal.signalId");
        } else if (body.has("signalName")) {
            // upstream's flat form
            name = signalName(requiredString(body, "signalName"), "signalName");
            payload = payloadOf(body, "signalPayload");
            signalId = signalId(body, "signalId");
        } else {
            throw ApiException.invalid("signal", "Missing required field: signal");
        }
        SignalWithStartResult outcome = client.signalWithStart(type, payloadOf(body, "input"), options, name, payload, signalId);
        ObjectNode answer = mapper.createObjectNode();
        answer.put("id", outcome.id());
        answer.put("started", outcome.started());
        answer.put("signalStored", outcome.signalStored());
        answer.put("outcome", outcome.started() ? "started" : "signalled");
        if (!outcome.started()) {
            return ok(answer);
        }
        URI location = URI.create(BASE_PATH + "/workflows/" + UriUtils.encodePathSegment(outcome.id(), StandardCharsets.UTF_8));
        return ResponseEntity.created(location).contentType(MediaType.APPLICATION_JSON).body(write(answer));
    }

    @PostMapping("/workflows/{id}/suspend")
    public ResponseEntity<byte[]> suspend(@PathVariable("id") String id) {
        return ok(idAnd(id, "suspended", client.suspend(id)));
    }

    @PostMapping("/workflows/{id}/resume")
    public ResponseEntity<byte[]> resume(@PathVariable("id") String id) {
        if (!engine.isWorker()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable",
                    "This node drives no runs (it is client-only), so it cannot resume one", Map.of("reason", "client-only"));
        }
        WorkflowSummary run;
        try {
            run = client.resume(id);
        } catch (WorkflowNotRegisteredException e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable", e.getMessage(),
                    Map.of("reason", "type-not-registered", "weftCode", e.code()));
        }
        return ok(summary(run));
    }

    @DeleteMapping("/workflows/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") String id) {
        client.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/workflows/{id}/pending-async-activities")
    public ResponseEntity<byte[]> pending(@PathVariable("id") String id,
            @RequestParam(name = "limit", required = false) @Nullable String limit,
            @RequestParam(name = "cursor", required = false) @Nullable String cursor) {
        int max = integer("limit", limit, DEFAULT_PENDING_LIMIT, 1, MAX_PENDING_LIMIT);
        long after = cursor == null ? 0 : cursor(cursor);
        List<PendingAsyncActivity> pending = engine.pendingAsyncActivities(id).stream()
                .filter(each -> each.seq() > after)
                .sorted(Comparator.comparingLong(PendingAsyncActivity::seq))
                .toList();
        ObjectNode answer = mapper.createObjectNode();
        ArrayNode items = answer.putArray("items");
        pending.stream().limit(max).forEach(each -> {
            ObjectNode item = items.addObject();
            item.put("token", each.token());
            item.put("activityName", each.activityName());
            item.put("step", each.seq());
            item.put("attempt", each.attempt());
            putInstant(item, "createdAt", each.scheduledAt());
        });
        if (pending.size() > max) {
            answer.put("nextCursor", PENDING_CURSOR + pending.get(max - 1).seq());
        }
        return ok(answer);
    }

    @PostMapping("/activities/complete")
    public ResponseEntity<byte[]> complete(HttpServletRequest request) {
        JsonNode body = bodies.readObject(request);
        String token = requiredString(body, "token");
        JsonNode result = body.get("result");
        engine.completeAsyncActivity(token, result == null || result.isNull() ? null : result);
        return ok(mapper.createObjectNode().put("ok", true));
    }

    @PostMapping("/activities/fail")
    public ResponseEntity<byte[]> fail(HttpServletRequest request) {
        JsonNode body = bodies.readObject(request);
        String token = requiredString(body, "token");
        JsonNode error = body.get("error");
        if (error == null || error.isNull()) {
            throw ApiException.invalid("error", "Missing required field: error");
        }
        if (!error.isObject()) {
            throw ApiException.invalid("error", "Field \"error\" must be an object");
        }
        String message = requiredString(error, "message", "error.message");
        String name = optionalString(error, "name", "error.name");
        if (name == null) {
            name = optionalString(error, "type", "error.type");
        }
        if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH)) {
            throw ApiException.invalid("error.name", "Field \"error.name\" must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        JsonNode nonRetryable = error.get("nonRetryable");
        if (nonRetryable != null && !nonRetryable.isNull() && !nonRetryable.isBoolean()) {
            throw ApiException.invalid("error.nonRetryable", "Field \"error.nonRetryable\" must be a boolean");
        }
        FailureCategory category = category(optionalString(error, "category", "error.category"));
        boolean stop = nonRetryable != null && nonRetryable.asBoolean();
        FailureInfo failure = new FailureInfo(name == null ? "AsyncActivityError" : name, message, category,
                stop ? NonRetryableException.CODE : null, null);
        engine.failAsyncActivity(token, failure);
        return ok(mapper.createObjectNode().put("ok", true));
    }

    @GetMapping(path = "/openapi.yaml")
    public ResponseEntity<byte[]> openApi() throws IOException {
        try (InputStream in = WeftApiController.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the jar");
            }
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml")).body(in.readAllBytes());
        }
    }

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<byte[]> refused(ApiException e) {
        return error(e.status(), e.fault(), e.getMessage(), e.data());
    }

    @ExceptionHandler(WeftException.class)
    public ResponseEntity<byte[]> engineRefused(WeftException e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("weftCode", e.code());
        return switch (e) {
            case WorkflowNotFoundException notFound -> {
                data.put("resource", "workflow");
                yield error(HttpStatus.NOT_FOUND, "NotFound", notFound.getMessage(), data);
            }
            case dev.weft.failure.QueryNotFoundException notFound -> {
                data.put("resource", "query");
                yield error(HttpStatus.NOT_FOUND, "NotFound", notFound.getMessage(), data);
            }
            case AsyncActivityTokenNotFoundException notFound -> {
                data.put("resource", "asyncActivity");
                yield error(HttpStatus.NOT_FOUND, "NotFound", notFound.getMessage(), data);
            }
            case WorkflowAlreadyExistsException exists -> error(HttpStatus.CONFLICT, "Conflict", exists.getMessage(), data);
            case WorkflowFinishedException finished -> {
                data.put("identifier", finished.workflowId());
                data.put("reason", "finished");
                yield error(HttpStatus.CONFLICT, "Conflict", finished.getMessage(), data);
            }
            case RunOwnedElsewhereException elsewhere -> {
                data.put("reason", "owned-elsewhere");
                yield error(HttpStatus.CONFLICT, "Conflict", elsewhere.getMessage(), data);
            }
            case WorkflowNotTerminalException live -> {
                data.put("identifier", live.workflowId());
                yield error(HttpStatus.CONFLICT, "Conflict", live.getMessage(), data);
            }
            case WorkflowNotRegisteredException unknown -> {
                data.put("field", "type");
                yield error(HttpStatus.BAD_REQUEST, "InvalidParams", unknown.getMessage(), data);
            }
            case PayloadSizeExceededException large -> {
                data.put("maxBytes", large.maxBytes());
                yield error(HttpStatus.BAD_REQUEST, "InvalidParams", large.getMessage(), data);
            }
            case ResultTimeoutException late -> error(HttpStatus.REQUEST_TIMEOUT, "Timeout", late.getMessage(), data);
            case WorkflowFailedException failed -> {
                data.put("identifier", failed.workflowId());
                data.put("status", WorkflowStatus.FAILED.wireName());
                data.put("failure", failure(failed.failure()));
                yield error(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable", failed.getMessage(), data);
            }
            case WorkflowCancelledException cancelled -> {
                data.put("identifier", cancelled.workflowId());
                data.put("status", WorkflowStatus.CANCELLED.wireName());
                yield error(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable", cancelled.getMessage(), data);
            }
            default -> unexpected(e);
        };
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<byte[]> unexpected(Exception e) {
        LOG.warn("Weft API request failed", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "EngineFailure", "Internal server error", Map.of());
    }

    private ResponseEntity<byte[]> error(HttpStatus status, String fault, @Nullable String message, Map<String, ?> data) {
        ObjectNode body = mapper.createObjectNode();
        body.put("error", message == null ? fault : message);
        body.put("code", fault);
        body.set("data", mapper.valueToTree(data));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(write(body));
    }

    private ResponseEntity<byte[]> ok(JsonNode body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(write(body));
    }

    private byte[] write(JsonNode body) {
        return mapper.writeValueAsBytes(body);
    }

    private ObjectNode summary(WorkflowSummary run) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", run.id());
        node.put("type", run.type());
        node.put("status", run.status().wireName());
        putInstant(node, "createdAt", run.createdAt());
        putInstant(node, "completedAt", run.completedAt());
        node.put("cancelRequested", run.cancelRequested());
        if (run.failure() != null) {
            node.set("failure", mapper.valueToTree(failure(run.failure())));
        } else {
            node.putNull("failure");
        }
        return node;
    }

    private static Map<String, Object> failure(FailureInfo failure) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", failure.simpleType());
        node.put("message", failure.message());
        node.put("category", failure.category().name().toLowerCase(Locale.ROOT));
        if (failure.code() != null) {
            node.put("code", failure.code());
        }
        return node;
    }

    private JsonNode payload(@Nullable String json) {
        if (json == null) {
            return mapper.nullNode();
        }
        try {
            return mapper.readTree(json);
        } catch (JacksonException e) {
            return mapper.getNodeFactory().stringNode(json);
        }
    }

    private static void putInstant(ObjectNode node, String field, @Nullable Instant value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toString());
        }
    }

    private static @Nullable Object payloadOf(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static String signalName(String name, String field) {
        if (name.isBlank() || name.length() > WeftEngine.MAX_SIGNAL_NAME_LENGTH) {
            throw ApiException.invalid(field, "Field \"" + field + "\" must be 1 to " + WeftEngine.MAX_SIGNAL_NAME_LENGTH
                    + " characters");
        }
        return name;
    }

    private static @Nullable String signalId(JsonNode body, String path) {
        String field = path.substring(path.lastIndexOf('.') + 1);
        String value = optionalString(body, field, path);
        if (value != null && (value.isBlank() || value.getBytes(StandardCharsets.UTF_8).length > WeftEngine.MAX_SIGNAL_ID_BYTES)) {
            throw ApiException.invalid(path, "Field \"" + path + "\" must be 1 to " + WeftEngine.MAX_SIGNAL_ID_BYTES + " bytes");
        }
        return value;
    }

    private static String requiredString(JsonNode body, String field) {
        return requiredString(body, field, field);
    }

    private static String requiredString(JsonNode body, String field, String path) {
        String value = optionalString(body, field, path);
        if (value == null) {
            throw ApiException.invalid(path, "Missing required field: " + path);
        }
        if (value.isBlank()) {
            throw ApiException.invalid(path, "Field \"" + path + "\" must be a non-empty string");
        }
        return value;
    }

    private static @Nullable String optionalString(JsonNode body, String field) {
        return optionalString(body, field, field);
    }

    private static @Nullable String optionalString(JsonNode body, String field, String path) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ApiException.invalid(path, "Field \"" + path + "\" must be a string");
        }
        return value.stringValue();
    }

    private static WorkflowStatus status(String name) {
        try {
            return WorkflowStatus.fromWireName(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "Field \"status\" must be one of running, completed, failed, cancelled");
        }
    }

    private static FailureCategory category(@Nullable String name) {
        if (name == null) {
            return FailureCategory.APPLICATION;
        }
        try {
            return FailureCategory.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("error.category",
                    "Field \"error.category\" must be one of application, timeout, cancellation, resource, system");
        }
    }

    private static PageRequest page(@Nullable String limit, @Nullable String offset, @Nullable String page, @Nullable String size) {
        if (page != null || size != null) {
            if (limit != null || offset != null) {
                throw ApiException.invalid("page", "Use either page and size or offset and limit, not both");
            }
            int pageSize = integer("size", size, PageRequest.DEFAULT_LIMIT, 1, PageRequest.MAX_LIMIT);
            int pageNumber = integer("page", page, 0, 0, Integer.MAX_VALUE / pageSize);
            return new PageRequest(pageNumber * pageSize, pageSize);
        }
        return new PageRequest(integer("offset", offset, 0, 0, Integer.MAX_VALUE),
                integer("limit", limit, PageRequest.DEFAULT_LIMIT, 1, PageRequest.MAX_LIMIT));
    }

    private static int integer(String field, @Nullable String value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.invalid(field, "Field \"" + field + "\" must be an integer between " + min + " and " + max);
    }

    private static long cursor(String cursor) {
        if (cursor.startsWith(PENDING_CURSOR)) {
            try {
                long seq = Long.parseLong(cursor.substring(PENDING_CURSOR.length()));
                if (seq >= 0) {
                    return seq;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw ApiException.invalid("cursor", "Field \"cursor\" is not a cursor this API returned");
    }

    private Duration resultWait(@Nullable String timeout) {
        if (timeout == null || timeout.isBlank()) {
            return defaultResultWait;
        }
        Duration wait;
        try {
            wait = DurationStyle.detectAndParse(timeout.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("timeout", "Field \"timeout\" must be a duration such as 30s, 500ms or PT1M");
        }
        if (wait.isNegative()) {
            throw ApiException.invalid("timeout", "Field \"timeout\" must not be negative");
        }
        return wait.compareTo(maxResultWait) > 0 ? maxResultWait : wait;
    }

    private static WorkflowNotFoundException notFound(String id) {
        return new WorkflowNotFoundException("No workflow run has the id '" + id + "'");
    }
}
