package dev.weft.spring.web;

import dev.weft.client.EngineWorkflowClient;
import dev.weft.client.wire.ResultView;
import dev.weft.client.wire.RunDetailView;
import dev.weft.client.wire.WireFormat;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's two reads of a run's payloads, its input and result as stored. They read the store
 * directly until the engine offers a read API for runs; they are kept here, together, so that
 * switch is one edit.
 */
final class RunReads {

    private final WorkflowStore store;
    private final JsonMapper mapper = WireFormat.mapper();

    RunReads(WorkflowStore store) {
        this.store = store;
    }

    /** The run with its input and result. */
    RunDetailView detail(String id) {
        RunRecord run = find(id);
        return RunDetailView.of(EngineWorkflowClient.summary(run), payload(run.input()), payload(run.result()));
    }

    /** The result of a run that has completed. */
    ResultView result(String id) {
        return new ResultView(payload(find(id).result()));
    }

    private RunRecord find(String id) {
        return store.findRun(id).orElseThrow(() -> new WorkflowNotFoundException("No workflow run has the id '" + id + "'"));
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
