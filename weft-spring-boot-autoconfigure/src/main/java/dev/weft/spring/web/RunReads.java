package dev.weft.spring.web;

import dev.weft.visibility.WorkflowRun;
import dev.weft.visibility.WorkflowRuns;
import dev.weft.client.wire.ResultView;
import dev.weft.client.wire.RunDetailView;
import dev.weft.client.wire.WireFormat;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API's two reads of a run's payloads, its input and result as stored, through the engine's read API. */
final class RunReads {

    private final WorkflowRuns runs;
    private final JsonMapper mapper = WireFormat.mapper();

    RunReads(WorkflowRuns runs) {
        this.runs = runs;
    }

    /** The run with its input and result, and the run it restarted from, if any. */
    RunDetailView detail(String id) {
        WorkflowRun run = runs.get(id);
        return RunDetailView.of(run.summary(), payload(run.input()), payload(run.result()), run.restartedFrom());
    }

    /** The result of a run that has completed. */
    ResultView result(String id) {
        return new ResultView(payload(runs.get(id).result()));
    }

    /** Stored JSON as a tree; text that does not parse as JSON as a string, so showing a run never fails on its payload. */
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
}
