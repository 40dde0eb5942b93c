package dev.weft.spring.web;

import dev.weft.SignalWithStartResult;
import dev.weft.StartOptions;
import dev.weft.client.EngineWorkflowClient;
import dev.weft.client.wire.NamedSignal;
import dev.weft.client.wire.QueryRequest;
import dev.weft.client.wire.ResultView;
import dev.weft.client.wire.SignalOutcome;
import dev.weft.client.wire.SignalRequest;
import dev.weft.client.wire.StartOrSignalOutcome;
import dev.weft.client.wire.IdempotencyKeyHeader;
import dev.weft.client.wire.StartOrSignalRequest;
import dev.weft.client.wire.WireFields;
import dev.weft.client.wire.WireFormat;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The API's messages to running runs: signals, signal-with-start, and queries. */
@RestController
@RequestMapping(WeftApi.BASE_PATH)
public class SignalController {

    private final EngineWorkflowClient client;
    private final JsonBodyReader bodies;

    public SignalController(EngineWorkflowClient client, JsonBodyReader bodies) {
        this.client = client;
        this.bodies = bodies;
    }

    @PostMapping("/workflows/{id}/signal/{name}")
    public SignalOutcome signal(@PathVariable("id") String id, @PathVariable("name") String name, HttpServletRequest request) {
        SignalRequest body = bodies.read(request, SignalRequest.class);
        String signalName = WireFields.signalName(name, "name");
        return SignalOutcome.of(client.signal(id, signalName, body.payload(), body.checkedSignalId()));
    }

    @PostMapping("/workflows/start-or-signal")
    public ResponseEntity<StartOrSignalOutcome> startOrSignal(HttpServletRequest request) {
        StartOrSignalRequest body = bodies.read(request, StartOrSignalRequest.class);
        String type = body.requiredType();
        StartOptions options = body.options(request.getHeader(IdempotencyKeyHeader.NAME));
        NamedSignal signal = body.checkedSignal();
        SignalWithStartResult outcome = client.signalWithStart(type, body.input(), options, signal.name(), signal.payload(),
                signal.signalId());
        StartOrSignalOutcome answer = StartOrSignalOutcome.of(outcome);
        if (!outcome.started()) {
            return ResponseEntity.ok(answer);
        }
        return ResponseEntity.created(WorkflowController.location(outcome.id())).body(answer);
    }

    @PostMapping("/workflows/{id}/query/{name}")
    public ResultView query(@PathVariable("id") String id, @PathVariable("name") String name, HttpServletRequest request) {
        QueryRequest body = bodies.read(request, QueryRequest.class);
        Object answer = client.query(id, name, body.input(), Object.class);
        return new ResultView(WireFormat.mapper().valueToTree(answer));
    }
}
