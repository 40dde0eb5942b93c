package dev.weft.spring.web;

import dev.weft.WeftEngine;
import dev.weft.client.EngineWorkflowClient;
import dev.weft.client.WorkflowFilter;
import dev.weft.client.WorkflowSummary;
import dev.weft.client.wire.CancelOutcome;
import dev.weft.client.wire.IdempotencyKeyHeader;
import dev.weft.client.wire.ResultView;
import dev.weft.client.wire.RunDetailView;
import dev.weft.client.wire.RunPage;
import dev.weft.client.wire.RunView;
import dev.weft.client.wire.StartRequest;
import dev.weft.client.wire.SuspendOutcome;
import dev.weft.failure.DefinitionNames;
import dev.weft.failure.WorkflowNotRegisteredException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/** The API's runs: start, list, read, wait for, cancel, suspend, resume and delete them. */
@RestController
@RequestMapping(WeftApi.BASE_PATH)
public class WorkflowController {

    private final WeftEngine engine;
    private final EngineWorkflowClient client;
    private final RunReads reads;
    private final JsonBodyReader bodies;
    private final ResultWait resultWait;

    public WorkflowController(WeftEngine engine, EngineWorkflowClient client, JsonBodyReader bodies,
            Duration defaultResultWait, Duration maxResultWait) {
        this.engine = engine;
        this.client = client;
        this.reads = new RunReads(engine.runs(), InstantSource.system());
        this.bodies = bodies;
        this.resultWait = new ResultWait(defaultResultWait, maxResultWait);
    }

    @PostMapping("/workflows")
    public ResponseEntity<RunView> start(HttpServletRequest request) {
        StartRequest body = bodies.read(request, StartRequest.class);
        WorkflowSummary run = client.start(body.requiredType(), body.input(), body.options(request.getHeader(IdempotencyKeyHeader.NAME)));
        return ResponseEntity.created(location(run.id())).body(RunView.of(run));
    }

    @GetMapping("/workflows")
    public RunPage list(@RequestParam(name = "status", required = false) @Nullable List<String> status,
            @RequestParam(name = "type", required = false) @Nullable String type,
            @RequestParam(name = "limit", required = false) @Nullable String limit,
            @RequestParam(name = "offset", required = false) @Nullable String offset,
            @RequestParam(name = "page", required = false) @Nullable String page,
            @RequestParam(name = "size", required = false) @Nullable String size) {
        if (type != null && !DefinitionNames.isPlainText(type)) {
            // PostgreSQL would refuse a NUL in the query with a server error: a caller's mistake is a 400
            throw ApiException.invalid("type", "Field \"type\" must be valid Unicode with no control characters");
        }
        WorkflowFilter filter = new WorkflowFilter(QueryParams.statuses(status), type == null || type.isEmpty() ? null : type);
        return RunPage.of(client.list(filter, QueryParams.page(limit, offset, page, size)));
    }

    @GetMapping("/workflows/{id}")
    public RunDetailView get(@PathVariable("id") String id) {
        return reads.detail(id);
    }

    @GetMapping("/workflows/{id}/result")
    public ResultView result(@PathVariable("id") String id, @RequestParam(name = "timeout", required = false) @Nullable String timeout) {
        // waits, and throws when the run failed, was cancelled or is still running; then its stored result is the answer
        client.result(id, Object.class, resultWait.of(timeout));
        return reads.result(id);
    }

    @PostMapping("/workflows/{id}/cancel")
    public CancelOutcome cancel(@PathVariable("id") String id) {
        return new CancelOutcome(id, client.cancel(id));
    }

    @PostMapping("/workflows/{id}/suspend")
    public SuspendOutcome suspend(@PathVariable("id") String id) {
        return new SuspendOutcome(id, client.suspend(id));
    }

    @PostMapping("/workflows/{id}/resume")
    public RunView resume(@PathVariable("id") String id) {
        if (!engine.isWorker()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable",
                    "This node drives no runs (it is client-only), so it cannot resume one", Map.of("reason", "client-only"));
        }
        try {
            return RunView.of(client.resume(id));
        } catch (WorkflowNotRegisteredException e) {
            // here the type is not the caller's mistake (as it is for a start) but this node's: 422, not 400
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable", e.getMessage(),
                    Map.of("reason", "type-not-registered", "weftCode", e.code()));
        }
    }

    @DeleteMapping("/workflows/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") String id) {
        client.delete(id);
        return ResponseEntity.noContent().build();
    }

    static URI location(String id) {
        return URI.create(WeftApi.BASE_PATH + "/workflows/" + UriUtils.encodePathSegment(id, StandardCharsets.UTF_8));
    }
}
