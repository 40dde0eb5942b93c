package dev.weft;

import dev.weft.queue.TaskBroker;
import dev.weft.queue.TaskQueues;
import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineListener;
import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.PayloadSizeExceededException;
import dev.weft.failure.QueryNotFoundException;
import dev.weft.failure.RunOwnedElsewhereException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.visibility.WorkflowRuns;
import dev.weft.internal.EngineCore;
import dev.weft.internal.EngineConfiguration;
import dev.weft.internal.StartedRun;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The engine: registers workflows and activities, starts runs, drives the runs it owns, and takes
 * up runs after a crash. Built by {@link #builder()}; {@link #close()} stops it and hands its runs
 * back to the database for another engine to adopt.
 *
 * <p>Several engines may share one database: each run is driven by one engine at a time, which
 * holds a lease on it; when an engine dies, its leases lapse and the others adopt its runs.
 */
public final class WeftEngine implements AutoCloseable {

    /** How long a lease lasts unless set otherwise. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    /** How often lapsed runs are looked for unless set otherwise. */
    public static final Duration DEFAULT_ADOPTION_INTERVAL = Duration.ofSeconds(5);
    /** How deep child workflows may nest unless set otherwise. */
    public static final int DEFAULT_MAX_CHILD_DEPTH = 8;
    /** Waits at least this long give their run up (park it) unless set otherwise. */
    public static final Duration DEFAULT_PARK_AFTER = Duration.ofSeconds(30);
    /** The largest payload accepted from outside (an async completion's result) unless set otherwise: 1 MiB. */
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
    /** How many runs one claim statement takes up at most. */
    public static final int RECOVERY_BATCH = 500;

    private final EngineCore core;
    private final WorkflowRuns runs;

    WeftEngine(EngineConfiguration settings) {
        this.core = new EngineCore(settings);
        this.runs = new WorkflowRuns(settings.store());
    }

    public static WeftEngineBuilder builder() {
        return new WeftEngineBuilder();
    }

    /**
     * Whether this engine drives runs. A client-only engine ({@code worker(false)}) starts runs,
     * reads and cancels them, but leaves every run to the worker engines on the same database.
     */
    /**
     * The activity queues in the engine's database: what each holds, and pausing, resuming and
     * limiting them for every node.
     */
    public TaskQueues queues() {
        return core.queues();
    }

    /**
     * Claims of queued tasks on behalf of remote workers connected to this node (the WebSocket
     * endpoint of the Spring Boot integration uses it); outcomes are accepted on any node.
     */
    public TaskBroker taskBroker() {
        return core.taskBroker();
    }

    /**
     * Starts serving activity queue {@code queue} on this node, running up to {@code concurrency}
     * of its tasks at once; the queue's cluster-wide settings stay as they are. Nothing happens
     * when this node serves the queue already (with the concurrency it was given first).
     *
     * @throws IllegalStateException when this engine is not a worker
     */
    public void serveQueue(String queue, int concurrency) {
        core.serveQueue(queue, concurrency);
    }

    public boolean isWorker() {
        return core.isWorker();
    }

    /** This engine's node id: the owner name it holds leases under. */
    public String nodeId() {
        return core.nodeId();
    }

    public void register(WorkflowDefinition<?, ?> workflow) {
        core.register(workflow);
    }

    public void register(ActivityDefinition<?, ?> activity) {
        core.register(activity);
    }

    /** The names of the workflow types registered with this engine, sorted. */
    public List<String> workflowTypes() {
        return core.workflowTypes();
    }

    /** The names of the activities registered with this engine, sorted. */
    public List<String> activityNames() {
        return core.activityNames();
    }

    public void addListener(EngineListener listener) {
        core.addListener(listener);
    }

    public <E extends EngineEvent> void addListener(Class<E> type, Consumer<? super E> consumer) {
        core.addListener(EngineListener.of(type, consumer));
    }

    public void removeListener(EngineListener listener) {
        core.removeListener(listener);
    }

    /** The read API for the runs in this engine's database: what web, Actuator and clients look at. */
    public WorkflowRuns runs() {
        return runs;
    }

    /** Starts a run with a generated id. */
    public WorkflowHandle<Object> start(String type, @Nullable Object input) {
        return start(type, input, StartOptions.defaults());
    }

    /**
     * Starts a run of a registered workflow type. The run is durable when this returns.
     *
     * @throws WorkflowNotRegisteredException when no workflow of that type is registered
     * @throws WorkflowAlreadyExistsException when a run with the requested id exists
     */
    @SuppressWarnings("unchecked")
    public WorkflowHandle<Object> start(String type, @Nullable Object input, StartOptions options) {
        StartedRun run = core.start(type, input, options);
        return new WorkflowHandle<>(this, run.id(), (Class<Object>) core.workflow(type).resultType(), run.localEnd());
    }

    /** Starts a run of {@code workflow}, which must be registered, with its result typed. */
    public <I, R> WorkflowHandle<R> start(WorkflowDefinition<I, R> workflow, @Nullable I input, StartOptions options) {
        core.workflow(workflow.name());
        StartedRun run = core.start(workflow, input, options);
        return new WorkflowHandle<>(this, run.id(), workflow.resultType(), run.localEnd());
    }

    /** The longest signal id accepted, in UTF-8 bytes. */
    public static final int MAX_SIGNAL_ID_BYTES = Signals.MAX_ID_BYTES;
    /** The longest signal name accepted, in characters (the column's width). */
    public static final int MAX_SIGNAL_NAME_LENGTH = Signals.MAX_NAME_LENGTH;

    /** {@link #signal(String, String, Object, String)} without a signal id: every call delivers a signal. */
    public boolean signal(String id, String name, @Nullable Object payload) {
        return signal(id, name, payload, null);
    }

    /**
     * Sends a signal to a run. It is durable when this returns, buffered until the run waits for
     * that name, and consumed once, in the order signals of that name were sent.
     *
     * @param signalId an optional key (at most {@value #MAX_SIGNAL_ID_BYTES} bytes) that makes the
     *     delivery idempotent: a second signal with the same key is acknowledged and ignored, even
     *     after the first was consumed
     * @return {@code true} if the signal was stored, {@code false} if it was a duplicate
     * @throws WorkflowNotFoundException when no run has that id
     * @throws WorkflowFinishedException when the run has ended
     */
    public boolean signal(String id, String name, @Nullable Object payload, @Nullable String signalId) {
        return core.signal(id, name, payload, signalId);
    }

    /**
     * Starts a run with the given id and signals it, or, when that run exists and runs, signals it;
     * atomically.
     *
     * @param options must name the run's id
     * @throws WorkflowFinishedException when a run with that id has ended
     */
    public SignalWithStartResult signalWithStart(String type, @Nullable Object input, StartOptions options, String signalName,
            @Nullable Object payload, @Nullable String signalId) {
        return core.signalWithStart(type, input, options, signalName, payload, signalId);
    }

    /**
     * A handle on an existing run, its result read as the registered type's result (or as plain
     * JSON values when the type is not registered here).
     *
     * @throws WorkflowNotFoundException when no run has that id
     */
    public WorkflowHandle<Object> handle(String id) {
        @SuppressWarnings("unchecked")
        Class<Object> type = (Class<Object>) core.resultTypeOf(id);
        return new WorkflowHandle<>(this, id, type, core.localEnd(id));
    }

    /** A handle on an existing run with its result read as {@code resultType}. */
    public <R> WorkflowHandle<R> handle(String id, Class<R> resultType) {
        core.requireRun(id);
        return new WorkflowHandle<>(this, id, resultType, core.localEnd(id));
    }

    /**
     * Cancels a run, wherever it is driven. The request is durable before this returns; the
     * engine that drives the run fires the cancellation signal of its in-flight activities and
     * ends it cancelled.
     *
     * @return {@code true} if the cancellation was requested now, {@code false} if the run had
     *     already ended (nothing changes)
     * @throws WorkflowNotFoundException when no run has that id
     */
    public boolean cancel(String id) {
        return core.cancel(id);
    }

    /**
     * Takes up every run this engine can drive that nobody drives: runs of an earlier process with
     * this node id, and runs whose owner's lease lapsed. Runs of workflow types not registered here
     * are left alone and counted in the report.
     */
    public RecoveryReport recoverAll() {
        return core.recoverAll();
    }

    /**
     * Takes up one run, if nobody else drives it; a suspended run is made running again first.
     *
     * @throws WorkflowNotFoundException when no run has that id
     * @throws WorkflowNotRegisteredException when its type is not registered here
     * @throws RunOwnedElsewhereException when another live engine holds its lease
     */
    public WorkflowHandle<Object> resume(String id) {
        core.resume(id);
        return handle(id);
    }

    /**
     * Completes an activity attempt that called {@code completeAsync()}, as if it had returned
     * {@code result}. Returns once the result is durable; the token is then spent.
     *
     * @throws AsyncActivityTokenNotFoundException when no attempt waits for this token
     * @throws PayloadSizeExceededException when the result is too large (the token stays usable)
     */
    public void completeAsyncActivity(String token, @Nullable Object result) {
        core.completeAsyncActivity(token, result);
    }

    /**
     * Fails an activity attempt that called {@code completeAsync()}, as if it had thrown: the
     * activity's retry policy and the workflow's error handling apply.
     *
     * @throws AsyncActivityTokenNotFoundException when no attempt waits for this token
     * @throws PayloadSizeExceededException when the failure's message is too large (the token stays usable)
     */
    public void failAsyncActivity(String token, FailureInfo failure) {
        core.failAsyncActivity(token, failure);
    }

    /** {@link #failAsyncActivity(String, FailureInfo)} with the failure read from an exception. */
    public void failAsyncActivity(String token, Throwable error) {
        failAsyncActivity(token, FailureInfo.of(error));
    }

    /**
     * The attempts of a run waiting for an out-of-band completion, with their tokens.
     *
     * @throws WorkflowNotFoundException when no run has that id
     */
    public List<PendingAsyncActivity> pendingAsyncActivities(String workflowId) {
        return core.pendingAsyncActivities(workflowId);
    }

    /**
     * Suspends a run: it keeps its journal but is driven by no engine, and not recovered, until
     * {@link #resume(String)}. In-flight activity attempts see their cancellation signal; their
     * steps run again after the resume. Cancelling a suspended run ends it.
     *
     * @return {@code true} if suspended now, {@code false} if it already was
     * @throws WorkflowNotFoundException when no run has that id
     * @throws WorkflowFinishedException when the run has ended
     */
    public boolean suspend(String id) {
        return core.suspend(id);
    }

    /**
     * Asks a run's query handler. A run this engine drives answers from memory; any other (parked,
     * or driven by another engine) is replayed read-only from its journal up to its last checkpoint,
     * which writes nothing and runs no activity.
     *
     * @param argument passed to the handler (as JSON, converted to the type it registered), or {@code null}
     * @throws WorkflowNotFoundException when no run has that id
     * @throws WorkflowFinishedException when the run has ended
     * @throws QueryNotFoundException when the run registered no such query
     */
    public <R> @Nullable R query(String id, String name, @Nullable Object argument, Class<R> resultType) {
        return core.query(id, name, argument, resultType);
    }

    /** How many runs this engine drives now. */
    public int activeRunCount() {
        return core.activeRunCount();
    }

    /** How many runs this engine parked and will take up again when their waits end. */
    public int parkedRunCount() {
        return core.parkedRunCount();
    }

    /** Whether this engine's last lease renewal failed, so its runs may soon be adopted by others. */
    public boolean isLeaseRenewalFailing() {
        return core.isLeaseRenewalFailing();
    }

    /**
     * Stops driving runs and hands them back: their leases are released so another engine can
     * adopt them at once. Nothing durable is lost; in-flight activity attempts see their
     * cancellation signal and their steps run again wherever the runs are adopted.
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Stops taking work, lets the activity attempts in flight finish and record their outcomes for
     * up to {@code gracePeriod} (leases are renewed meanwhile), then closes as {@link #close()}
     * does: runs still busy are abandoned and every run is handed back for adoption. No new run,
     * attempt or adoption starts once this is called.
     */
    public void close(Duration gracePeriod) {
        core.close(gracePeriod);
    }

    /**
     * Stops taking work as {@link #close(Duration)} does, handing every run back, but keeps the
     * engine able to {@link #unpause()}: for a Spring context that is stopped and started again.
     */
    public void pause(Duration gracePeriod) {
        core.pause(gracePeriod);
    }

    /** Takes work again after {@link #pause(Duration)}; call {@link #recoverAll()} to take up runs. */
    public void unpause() {
        core.unpause();
    }

    /** Whether the engine is paused: it drives no run until {@link #unpause()}. */
    public boolean isPaused() {
        return core.isPaused();
    }

    WorkflowStatus statusOf(String id) {
        return core.statusOf(id);
    }

    <R> @Nullable R awaitResult(String id, Class<R> resultType, @Nullable CompletableFuture<?> localEnd, @Nullable Duration timeout) {
        return core.awaitResult(id, resultType, localEnd, timeout);
    }
}
