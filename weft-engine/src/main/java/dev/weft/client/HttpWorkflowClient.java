package dev.weft.client;

import dev.weft.SignalWithStartResult;
import dev.weft.failure.WorkflowClientException;
import dev.weft.failure.WorkflowNotTerminalException;
import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.NonRetryableException;
import dev.weft.failure.PayloadSizeExceededException;
import dev.weft.PendingAsyncActivity;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.StartOptions;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.WeftEngine;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.WorkflowStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link WorkflowClient} of another service: it calls an application's Weft REST API
 * ({@code /api/v1}) with the JDK's {@link HttpClient}. Errors of the API come back as the engine's
 * own exceptions where one stands for them, else as {@link WorkflowClientException}.
 *
 * <pre>{@code
 * WorkflowClient client = HttpWorkflowClient.builder(URI.create("https://orders.internal"))
 *         .apiKey(System.getenv("WEFT_API_KEY"))
 *         .build();
 * client.activity().complete(token, Map.of("ok", true));
 * }</pre>
 */
public final class HttpWorkflowClient implements WorkflowClient, ActivityCompletions {

    /** How long one request may take unless set otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final String JSON = "application/json";

    private final URI api;
    private final HttpClient http;
    private final JsonMapper mapper;
    private final @Nullable String authorization;
    private final @Nullable String apiKey;
    private final Duration requestTimeout;

    private HttpWorkflowClient(Builder builder) {
        String base = builder.baseUri.toString();
        this.api = URI.create((base.endsWith("/") ? base : base + "/") + "api/v1/");
        this.http = builder.http != null ? builder.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.mapper = builder.mapper != null ? builder.mapper : JsonMapper.builder().build();
        this.authorization = builder.bearerToken == null ? null : "Bearer " + builder.bearerToken;
        this.apiKey = builder.apiKey;
        this.requestTimeout = builder.requestTimeout;
    }

    /** A builder for a client of the application at {@code baseUri}, such as {@code http://localhost:8080}. */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    @Override
    public WorkflowSummary start(String type, @Nullable Object input, StartOptions options) {
        ObjectNode body = mapper.createObjectNode();
        body.put("type", type);
        body.set("input", mapper.valueToTree(input));
        options.id().ifPresent(id -> body.put("id", id));
        return summary(send("POST", "workflows", body, requestTimeout).body());
    }

    @Override
    public WorkflowSummary get(String id) {
        return summary(send("GET", "workflows/" + segment(id), null, requestTimeout).body());
    }

    @Override
    public <R> @Nullable R result(String id, Class<R> resultType, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                Answer answer = send("GET", "workflows/" + segment(id) + "/result?timeout=" + left.toMillis() + "ms", null,
                        left.plus(requestTimeout));
                return mapper.treeToValue(answer.body().path("result"), resultType);
            } catch (ResultTimeoutException e) {
                // the server waits at most its own bound: ask again while our caller's patience lasts
                if (deadline - System.nanoTime() <= 0) {
                    throw e;
                }
            }
        }
    }

    @Override
    public boolean cancel(String id) {
        return send("POST", "workflows/" + segment(id) + "/cancel", null, requestTimeout).body().path("cancelled").asBoolean();
    }

    @Override
    public <R> @Nullable R query(String id, String name, @Nullable Object argument, Class<R> resultType) {
        ObjectNode body = mapper.createObjectNode();
        body.set("input", mapper.valueToTree(argument));
        JsonNode result = send("POST", "workflows/" + segment(id) + "/query/" + segment(name), body, requestTimeout).body().path("result");
        return result.isMissingNode() || result.isNull() ? null : mapper.treeToValue(result, resultType);
    }

    @Override
    public boolean signal(String id, String name, @Nullable Object payload, @Nullable String signalId) {
        ObjectNode body = mapper.createObjectNode();
        body.set("payload", mapper.valueToTree(payload));
        if (checkedSignalId(signalId) != null) {
            body.put("signalId", signalId);
        }
        return send("POST", "workflows/" + segment(id) + "/signal/" + segment(checkedSignalName(name)), body, requestTimeout)
                .body().path("delivered").asBoolean();
    }

    @Override
    public SignalWithStartResult signalWithStart(String type, @Nullable Object input, StartOptions options, String signalName,
            @Nullable Object payload, @Nullable String signalId) {
        String id = options.id().orElseThrow(() -> new IllegalArgumentException("signal-with-start needs the run's id in its options"));
        ObjectNode body = mapper.createObjectNode();
        body.put("type", type);
        body.put("id", id);
        body.set("input", mapper.valueToTree(input));
        ObjectNode signal = body.putObject("signal");
        signal.put("name", checkedSignalName(signalName));
        signal.set("payload", mapper.valueToTree(payload));
        if (checkedSignalId(signalId) != null) {
            signal.put("signalId", signalId);
        }
        JsonNode answer = send("POST", "workflows/start-or-signal", body, requestTimeout).body();
        return new SignalWithStartResult(answer.path("id").asString(id), answer.path("started").asBoolean(),
                answer.path("signalStored").asBoolean());
    }

    @Override
    public boolean suspend(String id) {
        return send("POST", "workflows/" + segment(id) + "/suspend", null, requestTimeout).body().path("suspended").asBoolean();
    }

    @Override
    public WorkflowSummary resume(String id) {
        return summary(send("POST", "workflows/" + segment(id) + "/resume", null, requestTimeout).body());
    }

    /** Refused here as the engine refuses it, so both clients throw the same exception. */
    private static String checkedSignalName(String name) {
        if (name.isBlank() || name.length() > WeftEngine.MAX_SIGNAL_NAME_LENGTH) {
            throw new IllegalArgumentException("a signal name must be 1 to " + WeftEngine.MAX_SIGNAL_NAME_LENGTH + " characters");
        }
        return name;
    }

    private static @Nullable String checkedSignalId(@Nullable String signalId) {
        if (signalId != null && (signalId.isBlank() || signalId.getBytes(StandardCharsets.UTF_8).length > WeftEngine.MAX_SIGNAL_ID_BYTES)) {
            throw new IllegalArgumentException("signalId must be 1 to " + WeftEngine.MAX_SIGNAL_ID_BYTES + " bytes");
        }
        return signalId;
    }

    @Override
    public WorkflowPage list(WorkflowFilter filter, PageRequest page) {
        StringJoiner query = new StringJoiner("&", "workflows?", "");
        filter.statuses().stream().map(WorkflowStatus::wireName).sorted().forEach(status -> query.add("status=" + status));
        if (filter.type() != null) {
            query.add("type=" + URLEncoder.encode(filter.type(), StandardCharsets.UTF_8));
        }
        query.add("offset=" + page.offset()).add("limit=" + page.limit());
        JsonNode body = send("GET", query.toString(), null, requestTimeout).body();
        List<WorkflowSummary> items = new ArrayList<>();
        body.path("items").forEach(item -> items.add(summary(item)));
        return new WorkflowPage(items, body.path("total").asLong(), body.path("offset").asInt(), body.path("limit").asInt());
    }

    @Override
    public void delete(String id) {
        send("DELETE", "workflows/" + segment(id), null, requestTimeout);
    }

    @Override
    public ActivityCompletions activity() {
        return this;
    }

    @Override
    public void complete(String token, @Nullable Object result) {
        ObjectNode body = mapper.createObjectNode();
        body.put("token", token);
        body.set("result", mapper.valueToTree(result));
        send("POST", "activities/complete", body, requestTimeout);
    }

    @Override
    public void completeExceptionally(String token, FailureInfo error) {
        ObjectNode body = mapper.createObjectNode();
        body.put("token", token);
        ObjectNode failure = body.putObject("error");
        failure.put("message", error.message());
        failure.put("name", error.simpleType());
        failure.put("category", error.category().name().toLowerCase(java.util.Locale.ROOT));
        if (error.code() != null) {
            failure.put("code", error.code());
        }
        failure.put("nonRetryable", NonRetryableException.CODE.equals(error.code()));
        send("POST", "activities/fail", body, requestTimeout);
    }

    @Override
    public List<PendingAsyncActivity> pending(String workflowId) {
        List<PendingAsyncActivity> pending = new ArrayList<>();
        String cursor = null;
        do {
            String path = "workflows/" + segment(workflowId) + "/pending-async-activities?limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode body = send("GET", path, null, requestTimeout).body();
            body.path("items").forEach(item -> pending.add(new PendingAsyncActivity(item.path("token").asString(),
                    item.path("activityName").asString(), item.path("step").asLong(), item.path("attempt").asInt(),
                    instant(item.path("createdAt")))));
            cursor = body.path("nextCursor").isString() ? body.path("nextCursor").stringValue() : null;
        } while (cursor != null);
        return pending;
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer send(String method, String path, @Nullable JsonNode body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path))
                .timeout(timeout)
                .header("Accept", JSON)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
        if (body != null) {
            request.header("Content-Type", JSON);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new WorkflowClientException(0, null, method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkflowClientException(0, null, method + " " + path + " was interrupted", e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), answer, path, body);
        }
        return new Answer(response.statusCode(), answer);
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return mapper.missingNode();
        }
        try {
            return mapper.readTree(body);
        } catch (JacksonException e) {
            return mapper.missingNode();
        }
    }

    private RuntimeException error(int status, JsonNode answer, String path, @Nullable JsonNode request) {
        String message = answer.path("error").isString() ? answer.path("error").stringValue() : "HTTP " + status + " from " + path;
        String fault = answer.path("code").isString() ? answer.path("code").stringValue() : null;
        JsonNode data = answer.path("data");
        String weftCode = data.path("weftCode").isString() ? data.path("weftCode").stringValue() : "";
        return switch (weftCode) {
            case WorkflowNotFoundException.CODE -> new WorkflowNotFoundException(message);
            case WorkflowNotRegisteredException.CODE -> new WorkflowNotRegisteredException(message);
            case WorkflowAlreadyExistsException.CODE -> new WorkflowAlreadyExistsException(message);
            case WorkflowNotTerminalException.CODE -> new WorkflowNotTerminalException(data.path("identifier").asString(""));
            case ResultTimeoutException.CODE -> new ResultTimeoutException(message);
            case AsyncActivityTokenNotFoundException.CODE ->
                    new AsyncActivityTokenNotFoundException(request == null ? "" : request.path("token").asString(""));
            case PayloadSizeExceededException.CODE -> new PayloadSizeExceededException(message, data.path("maxBytes").asLong());
            case WorkflowFailedException.CODE -> new WorkflowFailedException(data.path("identifier").asString(""),
                    failure(data.path("failure")));
            case WorkflowCancelledException.CODE -> new WorkflowCancelledException(data.path("identifier").asString(""));
            case WorkflowFinishedException.CODE -> new WorkflowFinishedException(data.path("identifier").asString(""));
            case dev.weft.failure.QueryNotFoundException.CODE -> new dev.weft.failure.QueryNotFoundException(message);
            default -> new WorkflowClientException(status, fault, message, null);
        };
    }

    private WorkflowSummary summary(JsonNode run) {
        JsonNode failure = run.path("failure");
        return new WorkflowSummary(run.path("id").asString(), run.path("type").asString(),
                WorkflowStatus.fromWireName(run.path("status").asString()), Objects.requireNonNull(instant(run.path("createdAt"))),
                instant(run.path("completedAt")), failure.isObject() ? failure(failure) : null,
                run.path("cancelRequested").asBoolean());
    }

    private static FailureInfo failure(JsonNode failure) {
        String category = failure.path("category").asString("application");
        FailureCategory parsed;
        try {
            parsed = FailureCategory.valueOf(category.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            parsed = FailureCategory.APPLICATION;
        }
        return new FailureInfo(failure.path("type").asString("Error"), failure.path("message").asString(""), parsed,
                failure.path("code").isString() ? failure.path("code").stringValue() : null, null);
    }

    private static @Nullable Instant instant(JsonNode value) {
        return value.isString() ? Instant.parse(value.stringValue()) : null;
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Builds an {@link HttpWorkflowClient}. */
    public static final class Builder {

        private final URI baseUri;
        private @Nullable HttpClient http;
        private @Nullable JsonMapper mapper;
        private @Nullable String bearerToken;
        private @Nullable String apiKey;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private Builder(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        }

        /** The HTTP client to send with, for proxies, TLS or executors of your own. */
        public Builder httpClient(HttpClient value) {
            this.http = value;
            return this;
        }

        /** The mapper that writes inputs and results and reads results; a plain one when unset. */
        public Builder jsonMapper(JsonMapper value) {
            this.mapper = value;
            return this;
        }

        /** Sends {@code Authorization: Bearer <token>}: an OAuth2 access token or an API key. */
        public Builder bearerToken(String value) {
            this.bearerToken = value;
            return this;
        }

        /** Sends the key in the {@code X-Api-Key} header. */
        public Builder apiKey(String value) {
            this.apiKey = value;
            return this;
        }

        /** How long one request may take, on top of the wait of a result request. */
        public Builder requestTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + value);
            }
            this.requestTimeout = value;
            return this;
        }

        public HttpWorkflowClient build() {
            return new HttpWorkflowClient(this);
        }
    }
}
