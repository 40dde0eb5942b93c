package dev.weft.client;

import dev.weft.PendingAsyncActivity;
import dev.weft.SignalWithStartResult;
import dev.weft.Signals;
import dev.weft.StartOptions;
import dev.weft.WorkflowStatus;
import dev.weft.client.wire.Acknowledgement;
import dev.weft.client.wire.ActivityError;
import dev.weft.client.wire.ApiError;
import dev.weft.client.wire.IdempotencyKeyHeader;
import dev.weft.client.wire.CancelOutcome;
import dev.weft.client.wire.CompleteRequest;
import dev.weft.client.wire.FailRequest;
import dev.weft.client.wire.FailureView;
import dev.weft.client.wire.NamedSignal;
import dev.weft.client.wire.PendingActivityPage;
import dev.weft.client.wire.QueryRequest;
import dev.weft.client.wire.ResultView;
import dev.weft.client.wire.RunDetailView;
import dev.weft.client.wire.RunPage;
import dev.weft.client.wire.RunView;
import dev.weft.client.wire.SignalOutcome;
import dev.weft.client.wire.SignalRequest;
import dev.weft.client.wire.StartOrSignalOutcome;
import dev.weft.client.wire.StartOrSignalRequest;
import dev.weft.client.wire.StartRequest;
import dev.weft.client.wire.SuspendOutcome;
import dev.weft.client.wire.WireFormat;
import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.InvalidInputException;
import dev.weft.failure.PayloadSizeExceededException;
import dev.weft.failure.QueryNotFoundException;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.failure.ConcurrencyLimitReachedException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.WorkflowClientException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.failure.WorkflowNotTerminalException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link WorkflowClient} of another service: it calls an application's Weft REST API
 * ({@code /api/v1}) with the JDK's {@link HttpClient}. Errors of the API come back as the engine's
 * own exceptions where one stands for them, else as {@link WorkflowClientException}. Request and
 * answer bodies are the server's own records ({@link dev.weft.client.wire}) in {@link WireFormat};
 * only payloads (inputs, results, signal and query values) go through the caller's mapper.
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
    private static final JsonMapper WIRE = WireFormat.mapper();

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
        StartRequest request = StartRequest.of(type, payload(input), options);
        return send("POST", "workflows", request, RunView.class, requestTimeout, keyHeader(options)).toSummary();
    }

    @Override
    public WorkflowSummary get(String id) {
        return send("GET", "workflows/" + segment(id), null, RunDetailView.class, requestTimeout).toSummary();
    }

    @Override
    public <R> @Nullable R result(String id, Class<R> resultType, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                ResultView answer = send("GET", "workflows/" + segment(id) + "/result?timeout=" + left.toMillis() + "ms", null,
                        ResultView.class, left.plus(requestTimeout));
                return value(answer.result(), resultType);
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
        return send("POST", "workflows/" + segment(id) + "/cancel", null, CancelOutcome.class, requestTimeout).cancelled();
    }

    @Override
    public <R> @Nullable R query(String id, String name, @Nullable Object argument, Class<R> resultType) {
        QueryRequest request = new QueryRequest(payload(argument));
        ResultView answer = send("POST", "workflows/" + segment(id) + "/query/" + segment(name), request, ResultView.class,
                requestTimeout);
        return value(answer.result(), resultType);
    }

    @Override
    public boolean signal(String id, String name, @Nullable Object payload, @Nullable String signalId) {
        // refused here as the engine refuses it, so both clients throw the same exception
        Signals.requireValidName(name);
        SignalRequest request = new SignalRequest(payload(payload), Signals.requireValidId(signalId));
        return send("POST", "workflows/" + segment(id) + "/signal/" + segment(name), request, SignalOutcome.class, requestTimeout)
                .delivered();
    }

    @Override
    public SignalWithStartResult signalWithStart(String type, @Nullable Object input, StartOptions options, String signalName,
            @Nullable Object payload, @Nullable String signalId) {
        if (options.id().isEmpty() && options.idempotencyKey().isEmpty()) {
            throw new IllegalArgumentException("signal-with-start needs the run's id or an idempotency key in its options");
        }
        NamedSignal signal = new NamedSignal(Signals.requireValidName(signalName), payload(payload),
                Signals.requireValidId(signalId));
        StartOrSignalRequest request = StartOrSignalRequest.of(type, options.id().orElse(null), payload(input), signal);
        return send("POST", "workflows/start-or-signal", request, StartOrSignalOutcome.class, requestTimeout, keyHeader(options))
                .toResult();
    }

    @Override
    public boolean suspend(String id) {
        return send("POST", "workflows/" + segment(id) + "/suspend", null, SuspendOutcome.class, requestTimeout).suspended();
    }

    @Override
    public WorkflowSummary resume(String id) {
        return send("POST", "workflows/" + segment(id) + "/resume", null, RunView.class, requestTimeout).toSummary();
    }

    @Override
    public WorkflowPage list(WorkflowFilter filter, PageRequest page) {
        StringJoiner query = new StringJoiner("&", "workflows?", "");
        filter.statuses().stream().map(WorkflowStatus::wireName).sorted().forEach(status -> query.add("status=" + status));
        if (filter.type() != null) {
            query.add("type=" + URLEncoder.encode(filter.type(), StandardCharsets.UTF_8));
        }
        query.add("offset=" + page.offset()).add("limit=" + page.limit());
        return send("GET", query.toString(), null, RunPage.class, requestTimeout).toPage();
    }

    @Override
    public void delete(String id) {
        exchange("DELETE", "workflows/" + segment(id), null, requestTimeout, Map.of());
    }

    @Override
    public ActivityCompletions activity() {
        return this;
    }

    @Override
    public void complete(String token, @Nullable Object result) {
        send("POST", "activities/complete", new CompleteRequest(token, payload(result)), Acknowledgement.class, requestTimeout);
    }

    @Override
    public void completeExceptionally(String token, FailureInfo error) {
        send("POST", "activities/fail", new FailRequest(token, ActivityError.of(error)), Acknowledgement.class, requestTimeout);
    }

    @Override
    public List<PendingAsyncActivity> pending(String workflowId) {
        List<PendingAsyncActivity> pending = new ArrayList<>();
        String cursor = null;
        do {
            String path = "workflows/" + segment(workflowId) + "/pending-async-activities?limit=200"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            PendingActivityPage page = send("GET", path, null, PendingActivityPage.class, requestTimeout);
            page.items().forEach(item -> pending.add(item.toPending()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return pending;
    }

    /** A payload as JSON, written by the caller's mapper. */
    private @Nullable JsonNode payload(@Nullable Object value) {
        return mapper.valueToTree(value);
    }

    /** A JSON value read as the caller's type by the caller's mapper. */
    private <R> @Nullable R value(@Nullable JsonNode json, Class<R> type) {
        return json == null || json.isNull() ? null : mapper.treeToValue(json, type);
    }

    /** Sends a request with a wire record as its body and reads the answer's wire record. */
    /** The {@code Idempotency-Key} header a keyed start sends; none for others. */
    private static Map<String, String> keyHeader(StartOptions options) {
        return options.idempotencyKey().map(key -> Map.of(IdempotencyKeyHeader.NAME, key)).orElse(Map.of());
    }

    private <A> A send(String method, String path, @Nullable Record body, Class<A> answerType, Duration timeout) {
        return send(method, path, body, answerType, timeout, Map.of());
    }

    private <A> A send(String method, String path, @Nullable Record body, Class<A> answerType, Duration timeout,
            Map<String, String> headers) {
        byte[] answer = exchange(method, path, body, timeout, headers);
        try {
            return WIRE.readValue(answer, answerType);
        } catch (JacksonException e) {
            throw new WorkflowClientException(0, null, method + " " + path + " answered with a body that is not the API's", e);
        }
    }

    /** Sends a request and returns the body of its successful answer; a refusal becomes the exception it stands for. */
    private byte[] exchange(String method, String path, @Nullable Record body, Duration timeout, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path))
                .timeout(timeout)
                .header("Accept", JSON)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(WIRE.writeValueAsBytes(body)));
        if (body != null) {
            request.header("Content-Type", JSON);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (apiKey != null) {
            request.header("X-Api-Key", apiKey);
        }
        headers.forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new WorkflowClientException(0, null, method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkflowClientException(0, null, method + " " + path + " was interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), response.body(), path, body);
        }
        return response.body();
    }

    private RuntimeException error(int status, byte[] answer, String path, @Nullable Record request) {
        ApiError error = parseError(answer);
        String message = error == null ? "HTTP " + status + " from " + path : error.error();
        if (error == null) {
            return new WorkflowClientException(status, null, message, null);
        }
        return switch (error.dataText("weftCode")) {
            case WorkflowNotFoundException.CODE -> new WorkflowNotFoundException(message);
            case WorkflowNotRegisteredException.CODE -> new WorkflowNotRegisteredException(message);
            case WorkflowAlreadyExistsException.CODE -> new WorkflowAlreadyExistsException(message);
            case ConcurrencyLimitReachedException.CODE -> new ConcurrencyLimitReachedException(message, error.dataText("workflowType"),
                    error.dataText("concurrencyKey"), (int) error.dataNumber("limit"));
            case WorkflowNotTerminalException.CODE -> new WorkflowNotTerminalException(error.dataText("identifier"));
            case ResultTimeoutException.CODE -> new ResultTimeoutException(message);
            case AsyncActivityTokenNotFoundException.CODE -> new AsyncActivityTokenNotFoundException(tokenOf(request));
            case InvalidInputException.CODE -> new InvalidInputException(error.dataText("field"), message);
            case PayloadSizeExceededException.CODE -> new PayloadSizeExceededException(message, error.dataNumber("maxBytes"));
            case WorkflowFailedException.CODE -> new WorkflowFailedException(error.dataText("identifier"), failureOf(error));
            case WorkflowCancelledException.CODE -> new WorkflowCancelledException(error.dataText("identifier"));
            case WorkflowFinishedException.CODE -> new WorkflowFinishedException(error.dataText("identifier"));
            case QueryNotFoundException.CODE -> new QueryNotFoundException(message);
            default -> new WorkflowClientException(status, error.code(), message, null);
        };
    }

    /** The API's error body, or {@code null} when the answer is not one (a proxy's page, say). */
    private static @Nullable ApiError parseError(byte[] answer) {
        if (answer.length == 0) {
            return null;
        }
        try {
            ApiError error = WIRE.readValue(answer, ApiError.class);
            return error.error() == null || error.code() == null ? null : error;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static FailureInfo failureOf(ApiError error) {
        Object failure = error.dataValue("failure");
        FailureView view = failure == null ? null : WIRE.convertValue(failure, FailureView.class);
        return view == null ? new FailureView(null, null, null, null).toFailureInfo() : view.toFailureInfo();
    }

    private static String tokenOf(@Nullable Record request) {
        return switch (request) {
            case CompleteRequest complete when complete.token() != null -> complete.token();
            case FailRequest fail when fail.token() != null -> fail.token();
            case null, default -> "";
        };
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
