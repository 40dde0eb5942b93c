package dev.weft.spring.web;

import dev.weft.WorkflowStatus;
import dev.weft.client.wire.QueueView;
import dev.weft.visibility.WorkflowRun;
import dev.weft.visibility.WorkflowRuns;
import dev.weft.client.wire.ResultView;
import dev.weft.client.wire.RunDetailView;
import dev.weft.client.wire.WireFormat;
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API's two reads of a run's payloads, its input and result as stored, through the engine's read API. */
final class RunReads {

    private final WorkflowRuns runs;
    private final InstantSource clock;
    private final JsonMapper mapper = WireFormat.mapper();

    /** @param clock what a queued run's age is measured by */
    RunReads(WorkflowRuns runs, InstantSource clock) {
        this.runs = runs;
        this.clock = clock;
    }

    /** The run with its input and result, the run it restarted from, and its place in its key's queue while it waits. */
    RunDetailView detail(String id) {
        WorkflowRun run = runs.get(id);
        QueueView queue = run.status() == WorkflowStatus.QUEUED
                ? runs.queuePosition(id).map(place -> QueueView.of(place, clock.instant())).orElse(null) : null;
        return RunDetailView.of(run.summary(), payload(run.input()), payload(run.result()), run.restartedFrom(),
                run.concurrencyKey(), queue);
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
