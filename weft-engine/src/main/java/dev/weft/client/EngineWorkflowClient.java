package dev.weft.client;

import dev.weft.failure.WorkflowNotTerminalException;
import dev.weft.failure.FailureInfo;
import dev.weft.PendingAsyncActivity;
import dev.weft.SignalWithStartResult;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.WorkflowHandle;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.store.RunQuery;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@link WorkflowClient} of code in the engine's own process: calls go straight to the
 * {@link WeftEngine} and its {@link WorkflowStore}, which must be the store the engine was built on.
 */
public final class EngineWorkflowClient implements WorkflowClient, ActivityCompletions {

    private final WeftEngine engine;
    private final WorkflowStore store;

    public EngineWorkflowClient(WeftEngine engine, WorkflowStore store) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public WorkflowSummary start(String type, @Nullable Object input, StartOptions options) {
        WorkflowHandle<Object> handle = engine.start(type, input, options);
        return get(handle.id());
    }

    @Override
    public WorkflowSummary get(String id) {
        return summary(store.findRun(id).orElseThrow(() -> notFound(id)));
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
        RunQuery query = new RunQuery(filter.statuses(), filter.type(), page.offset(), page.limit());
        List<WorkflowSummary> items = store.listRuns(query).stream().map(EngineWorkflowClient::summary).toList();
        return new WorkflowPage(items, store.countRuns(query), page.offset(), page.limit());
    }

    @Override
    public void delete(String id) {
        switch (store.deleteRun(id)) {
            case DELETED -> { }
            case STILL_RUNNING -> throw new WorkflowNotTerminalException(id);
            case NOT_FOUND -> throw notFound(id);
        }
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

    /** The summary of a stored run. */
    public static WorkflowSummary summary(RunRecord run) {
        return new WorkflowSummary(run.id(), run.type(), run.status(), run.createdAt(), run.completedAt(), run.failure(),
                run.cancelRequested());
    }

    private static WorkflowNotFoundException notFound(String id) {
        return new WorkflowNotFoundException("Workflow '" + id + "' not found");
    }
}
