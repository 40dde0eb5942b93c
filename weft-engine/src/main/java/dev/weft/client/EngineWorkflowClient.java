package dev.weft.client;

import dev.weft.failure.FailureInfo;
import dev.weft.PendingAsyncActivity;
import dev.weft.SignalWithStartResult;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.WorkflowHandle;
import dev.weft.visibility.WorkflowRuns;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@link WorkflowClient} of code in the engine's own process: calls go straight to the
 * {@link WeftEngine}, and reads to its read API ({@link WeftEngine#runs()}).
 */
public final class EngineWorkflowClient implements WorkflowClient, ActivityCompletions {

    private final WeftEngine engine;
    private final WorkflowRuns runs;

    public EngineWorkflowClient(WeftEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.runs = engine.runs();
    }

    @Override
    public WorkflowSummary start(String type, @Nullable Object input, StartOptions options) {
        WorkflowHandle<Object> handle = engine.start(type, input, options);
        return get(handle.id());
    }

    @Override
    public WorkflowSummary get(String id) {
        return runs.get(id).summary();
    }

    @Override
    public <R> @Nullable R result(String id, Class<R> resultType, Duration timeout) {
        return engine.handle(id, resultType).result(timeout);
    }

    @Override
    public boolean cancel(String id) {
        return engine.cancel(id);
    }

    @Override
    public <R> @Nullable R query(String id, String name, @Nullable Object argument, Class<R> resultType) {
        return engine.query(id, name, argument, resultType);
    }

    @Override
    public boolean signal(String id, String name, @Nullable Object payload, @Nullable String signalId) {
        return engine.signal(id, name, payload, signalId);
    }

    @Override
    public SignalWithStartResult signalWithStart(String type, @Nullable Object input, StartOptions options, String signalName,
            @Nullable Object payload, @Nullable String signalId) {
        return engine.signalWithStart(type, input, options, signalName, payload, signalId);
    }

    @Override
    public boolean suspend(String id) {
        return engine.suspend(id);
    }

    @Override
    public WorkflowSummary resume(String id) {
        if (get(id).status().isTerminal()) {
            throw new WorkflowFinishedException(id);
        }
        engine.resume(id);
        return get(id);
    }

    @Override
    public WorkflowPage list(WorkflowFilter filter, PageRequest page) {
        return runs.list(filter, page).summaries();
    }

    @Override
    public void delete(String id) {
        runs.delete(id);
    }

    @Override
    public ActivityCompletions activity() {
        return this;
    }

    @Override
    public void complete(String token, @Nullable Object result) {
        engine.completeAsyncActivity(token, result);
    }

    @Override
    public void completeExceptionally(String token, FailureInfo error) {
        engine.failAsyncActivity(token, error);
    }

    @Override
    public List<PendingAsyncActivity> pending(String workflowId) {
        return engine.pendingAsyncActivities(workflowId);
    }
}
