package dev.weft;

import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.PayloadSizeExceededException;
import dev.weft.failure.QueryNotFoundException;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.failure.RunOwnedElsewhereException;
import dev.weft.failure.StoreException;
import dev.weft.failure.VersionMismatchException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowCancelledException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.failure.WorkflowTimeoutException;
import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineListener;
import dev.weft.internal.Checkpointer;
import dev.weft.internal.EngineSettings;
import dev.weft.internal.EventBus;
import dev.weft.internal.HeartbeatCache;
import dev.weft.internal.LeaseKeeper;
import dev.weft.internal.Registry;
import dev.weft.internal.RunEnd;
import dev.weft.internal.RunExecution;
import dev.weft.internal.RunEnvironment;
import dev.weft.internal.RunSpec;
import dev.weft.internal.ChildLauncher;
import dev.weft.payload.JacksonPayloadSerializer;
import dev.weft.payload.PayloadSerializer;
import dev.weft.retry.RetryPolicy;
import dev.weft.store.CancelRequest;
import dev.weft.store.NewSignal;
import dev.weft.store.SignalDelivery;
import dev.weft.store.SignalWithStart;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunClaim;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import dev.weft.visibility.WorkflowRuns;
import dev.weft.time.TimeSource;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
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

    private static final System.Logger LOG = System.getLogger(WeftEngine.class.getName());
    private static final Duration FIRST_POLL = Duration.ofMillis(10);
    private static final Duration LONGEST_POLL = Duration.ofMillis(500);

    private final RunEnvironment services;
    private final ConcurrentHashMap<String, RunExecution> active = new ConcurrentHashMap<>();
    /** Runs this engine parked, with the timer that takes each up again when its wait ends. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> parked = new ConcurrentHashMap<>();
    private final ReentrantLock recoveryLock = new ReentrantLock();
    private final Instant incarnationStart;
    private final LeaseKeeper leaseKeeper;
    private final boolean worker;
    private final WorkflowRuns runs;
    private volatile boolean closed;
    /** Set while the engine hands its runs back and until it takes work again; closing implies it. */
    private volatile boolean paused;

    private WeftEngine(Builder builder) {
        WorkflowStore store = Objects.requireNonNull(builder.store, "a WeftEngine needs a store");
        this.services = new RunEnvironment(store, new Checkpointer(store), builder.serializer, builder.time, new EventBus(),
                new Registry(), new HeartbeatCache(), new Children(), new EngineSettings(builder.nodeId, builder.lease,
                builder.defaultRetryPolicy, builder.developmentMode, builder.maxPayloadBytes, builder.parkAfter,
                builder.maxChildDepth));
        builder.listeners.forEach(services.events()::add);
        builder.workflows.forEach(services.registry()::register);
        builder.activities.forEach(services.registry()::register);
        this.incarnationStart = store.databaseTime();
        this.worker = builder.worker;
        this.runs = new WorkflowRuns(store);
        this.leaseKeeper = new LeaseKeeper(store, builder.nodeId, builder.lease, builder.renewInterval(),
                worker ? builder.adoptionInterval : Duration.ZERO, () -> List.copyOf(active.keySet()), this::cancelLocally,
                this::adoptQuietly, this::abandonAll, this::wakeLocally);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The read API for the runs in this engine's database: what web, Actuator and clients look at. */
    public WorkflowRuns runs() {
        return runs;
    }

    /**
     * Whether this engine drives runs. A client-only engine ({@code worker(false)}) starts runs,
     * reads and cancels them, but leaves every run to the worker engines on the same database.
     */
    public boolean isWorker() {
        return worker;
    }

    /** This engine's node id: the owner name it holds leases under. */
    public String nodeId() {
        return services.settings().nodeId();
    }

    public void register(WorkflowDefinition<?, ?> workflow) {
        services.registry().register(workflow);
    }

    public void register(ActivityDefinition<?, ?> activity) {
        services.registry().register(activity);
    }

    public void addListener(EngineListener listener) {
        services.events().add(listener);
    }

    public <E extends EngineEvent> void addListener(Class<E> type, Consumer<? super E> consumer) {
        services.events().add(EngineListener.of(type, consumer));
    }

    public void removeListener(EngineListener listener) {
        services.events().remove(listener);
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
        ensureOpen();
        WorkflowDefinition<?, ?> definition = services.registry().workflow(type);
        return (WorkflowHandle<Object>) startRun(definition, input, options);
    }

    /** Starts a run of {@code workflow}, which must be registered, with its result typed. */
    public <I, R> WorkflowHandle<R> start(WorkflowDefinition<I, R> workflow, @Nullable I input, StartOptions options) {
        services.registry().workflow(workflow.name());
        return startRun(workflow, input, options);
    }

    private <R> WorkflowHandle<R> startRun(WorkflowDefinition<?, R> definition, @Nullable Object input, StartOptions options) {
        ensureOpen();
        String id = options.id().orElseGet(() -> UUID.randomUUID().toString());
        String inputJson = services.serializer().serialize(input);
        Instant now = services.time().now();
        // a client-only engine creates the run with a lease that has already lapsed: workers adopt it
        Duration lease = worker ? services.settings().lease() : Duration.ZERO;
        Instant deadline = options.executionTimeout().map(now::plus).orElse(null);
        long epoch = services.store().createRun(new NewRun(id, definition.name(), inputJson, nodeId(), lease, now, deadline,
                definition.version(), null, 0));
        return driveNewRun(definition, id, inputJson, epoch, now, deadline);
    }

    private <R> WorkflowHandle<R> driveNewRun(WorkflowDefinition<?, R> definition, String id, String inputJson, long epoch,
            Instant now, @Nullable Instant deadline) {
        services.events().emit(new EngineEvent.WorkflowStarted(now, id, definition.name()));
        if (!worker) {
            return new WorkflowHandle<>(this, id, definition.resultType(), null);
        }
        RunExecution execution = new RunExecution(services,
                new RunSpec(id, definition, inputJson, epoch, List.of(), deadline, null, 0), this::exited);
        active.put(id, execution);
        execution.start();
        return new WorkflowHandle<>(this, id, definition.resultType(), execution);
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
        NewSignal signal = newSignal(id, name, payload, signalId);
        SignalDelivery delivery = services.store().sendSignal(signal);
        return delivered(id, delivery);
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
        ensureOpen();
        WorkflowDefinition<?, ?> definition = services.registry().workflow(type);
        String id = options.id().orElseThrow(() -> new IllegalArgumentException("signal-with-start needs the run's id in its options"));
        NewSignal signal = newSignal(id, signalName, payload, signalId);
        String inputJson = services.serializer().serialize(input);
        Instant now = services.time().now();
        Duration lease = worker ? services.settings().lease() : Duration.ZERO;
        Instant deadline = options.executionTimeout().map(now::plus).orElse(null);
        SignalWithStart outcome = services.store().signalWithStart(
                new NewRun(id, definition.name(), inputJson, nodeId(), lease, now, deadline, definition.version(), null, 0), signal);
        if (outcome.started()) {
            driveNewRun(definition, id, inputJson, 1, now, deadline);
            return new SignalWithStartResult(id, true, true);
        }
        boolean stored = delivered(id, outcome.delivery());
        return new SignalWithStartResult(id, false, stored);
    }

    private NewSignal newSignal(String id, String name, @Nullable Object payload, @Nullable String signalId) {
        Signals.requireValidName(name);
        Signals.requireValidId(signalId);
        String payloadJson = services.serializer().serialize(payload);
        checkPayloadSize("the signal payload", payloadJson);
        return new NewSignal(id, name, payloadJson, signalId, services.time().now());
    }

    private boolean delivered(String id, SignalDelivery delivery) {
        return switch (delivery) {
            case NOT_FOUND -> throw notFound(id);
            case RUN_FINISHED -> throw new WorkflowFinishedException(id);
            case DUPLICATE -> false;
            case DELIVERED -> {
                wakeLocally(id);
                yield true;
            }
        };
    }

    /**
     * A handle on an existing run, its result read as the registered type's result (or as plain
     * JSON values when the type is not registered here).
     *
     * @throws WorkflowNotFoundException when no run has that id
     */
    public WorkflowHandle<Object> handle(String id) {
        RunRecord run = services.store().findRun(id).orElseThrow(() -> notFound(id));
        Class<?> resultType = services.registry().hasWorkflow(run.type())
                ? services.registry().workflow(run.type()).resultType() : Object.class;
        @SuppressWarnings("unchecked")
        Class<Object> type = (Class<Object>) resultType;
        return new WorkflowHandle<>(this, id, type, active.get(id));
    }

    /** A handle on an existing run with its result read as {@code resultType}. */
    public <R> WorkflowHandle<R> handle(String id, Class<R> resultType) {
        services.store().findRun(id).orElseThrow(() -> notFound(id));
        return new WorkflowHandle<>(this, id, resultType, active.get(id));
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
        CancelRequest request = services.store().requestCancel(id);
        return switch (request) {
            case NOT_FOUND -> throw notFound(id);
            case ALREADY_FINISHED -> false;
            case REQUESTED -> {
                cancelLocally(id);
                wakeLocally(id);
                yield true;
            }
        };
    }

    /**
     * Takes up every run this engine can drive that nobody drives: runs of an earlier process with
     * this node id, and runs whose owner's lease lapsed. Runs of workflow types not registered here
     * are left alone and counted in the report.
     */
    public RecoveryReport recoverAll() {
        ensureOpen();
        if (!worker) {
            return new RecoveryReport(List.of(), Map.of());
        }
        List<String> recovered = claimAndDrive(WorkflowStore.FAR_FUTURE);
        List<String> types = List.copyOf(services.registry().workflowTypes());
        Map<String, Long> unregistered = services.store().countRecoverableOfOtherTypes(nodeId(), incarnationStart, types);
        if (!unregistered.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Runs of workflow types not registered on node " + nodeId()
                    + " were left for another node: " + unregistered);
        }
        return new RecoveryReport(recovered, unregistered);
    }

    /** Claims recoverable runs of the registered types, batch after batch, and drives each. */
    private List<String> claimAndDrive(Instant wakeDueBy) {
        recoveryLock.lock();
        try {
            List<String> recovered = new ArrayList<>();
            List<String> types = List.copyOf(services.registry().workflowTypes());
            if (types.isEmpty()) {
                return recovered;
            }
            List<RunClaim> claims;
            do {
                claims = services.store().claimRecoverable(nodeId(), incarnationStart, wakeDueBy, types, services.settings().lease(),
                        RECOVERY_BATCH);
                // Read the whole batch's runs and journals at once: run by run, recovery is a round trip per read.
                List<String> ids = claims.stream().map(RunClaim::runId).toList();
                Map<String, RunRecord> runs = services.store().findRuns(ids);
                Map<String, List<JournalEntry>> journals = services.store().loadJournals(ids);
                for (RunClaim claim : claims) {
                    drive(claim, runs.get(claim.runId()), journals.getOrDefault(claim.runId(), List.of()));
                    recovered.add(claim.runId());
                }
            } while (claims.size() == RECOVERY_BATCH && !paused);
            return recovered;
        } finally {
            recoveryLock.unlock();
        }
    }

    /**
     * Takes up one run, if nobody else drives it; a suspended run is made running again first.
     *
     * @throws WorkflowNotFoundException when no run has that id
     * @throws WorkflowNotRegisteredException when its type is not registered here
     * @throws RunOwnedElsewhereException when another live engine holds its lease
     */
    public WorkflowHandle<Object> resume(String id) {
        ensureOpen();
        if (!worker) {
            throw new IllegalStateException("this WeftEngine is client-only (worker(false)) and drives no runs");
        }
        RunRecord run = services.store().findRun(id).orElseThrow(() -> notFound(id));
        if (run.status().isTerminal()) {
            return handle(id);
        }
        // A run suspended a moment ago may still have its abandoned execution here: the claim below
        // raises the epoch and drive() replaces it.
        if (run.status() == WorkflowStatus.RUNNING && active.get(id) != null) {
            return handle(id);
        }
        CompletableFuture<Void> timer = parked.remove(id);
        if (timer != null) {
            timer.cancel(false);
        }
        services.registry().workflow(run.type());
        if (run.status() == WorkflowStatus.SUSPENDED) {
            services.store().unsuspend(id);
        }
        RunClaim claim = services.store().claim(id, nodeId(), services.settings().lease())
                .orElseThrow(() -> new RunOwnedElsewhereException("Workflow '" + id + "' is driven by node '" + run.owner()
                        + "', whose lease has not lapsed"));
        drive(claim);
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
        AsyncActivityToken parsed = AsyncActivityToken.parse(token).orElseThrow(() -> new AsyncActivityTokenNotFoundException(token));
        String resultJson = services.serializer().serialize(result);
        checkPayloadSize("the async activity result", resultJson);
        resolve(parsed, token, EntryState.COMPLETED, resultJson, null);
    }

    /**
     * Fails an activity attempt that called {@code completeAsync()}, as if it had thrown: the
     * activity's retry policy and the workflow's error handling apply.
     *
     * @throws AsyncActivityTokenNotFoundException when no attempt waits for this token
     * @throws PayloadSizeExceededException when the failure's message is too large (the token stays usable)
     */
    public void failAsyncActivity(String token, FailureInfo failure) {
        AsyncActivityToken parsed = AsyncActivityToken.parse(token).orElseThrow(() -> new AsyncActivityTokenNotFoundException(token));
        checkPayloadSize("the async activity failure message", failure.message());
        resolve(parsed, token, EntryState.ATTEMPT_FAILED, null, failure);
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
        services.store().findRun(workflowId).orElseThrow(() -> notFound(workflowId));
        return services.store().loadJournal(workflowId).stream()
                .filter(entry -> entry.state() == EntryState.PENDING)
                .map(entry -> new PendingAsyncActivity(new AsyncActivityToken(workflowId, entry.seq(), entry.attempt()).toString(),
                        entry.name(), entry.seq(), entry.attempt(), entry.scheduledAt()))
                .toList();
    }

    private void resolve(AsyncActivityToken token, String raw, EntryState outcome, @Nullable String resultJson,
            @Nullable FailureInfo failure) {
        if (!services.store().resolvePending(token.workflowId(), token.seq(), token.attempt(), outcome, resultJson, failure)) {
            throw new AsyncActivityTokenNotFoundException(raw);
        }
        // The owner may be another node: it finds the run's wake flag at its next lease renewal.
        wakeLocally(token.workflowId());
    }

    private void checkPayloadSize(String what, @Nullable String payload) {
        if (payload == null) {
            return;
        }
        long bytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > services.settings().maxPayloadBytes()) {
            throw new PayloadSizeExceededException(what, bytes, services.settings().maxPayloadBytes());
        }
    }

    private void wakeLocally(String id) {
        RunExecution execution = active.get(id);
        if (execution != null) {
            execution.wake();
        }
        CompletableFuture<Void> timer = parked.get(id);
        if (timer != null) {
            timer.complete(null);
        }
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
        WorkflowStatus before = services.store().suspend(id).orElseThrow(() -> notFound(id));
        if (before.isTerminal()) {
            throw new WorkflowFinishedException(id);
        }
        RunExecution execution = active.get(id);
        if (execution != null) {
            execution.abandon();
        }
        CompletableFuture<Void> timer = parked.remove(id);
        if (timer != null) {
            timer.cancel(false);
        }
        if (before == WorkflowStatus.RUNNING) {
            services.events().emit(new EngineEvent.WorkflowSuspended(services.time().now(), id));
        }
        return before == WorkflowStatus.RUNNING;
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
        RunRecord run = services.store().findRun(id).orElseThrow(() -> notFound(id));
        if (run.status().isTerminal()) {
            throw new WorkflowFinishedException(id);
        }
        RunExecution live = active.get(id);
        RunExecution answering = live != null ? live : replayForQuery(run);
        return services.serializer().deserialize((String) answering.answerQuery(name, argument), resultType);
    }

    private RunExecution replayForQuery(RunRecord run) {
        WorkflowDefinition<?, ?> definition = services.registry().workflow(run.type());
        RunExecution replay = RunExecution.forQuery(services, new RunSpec(run.id(), definition, run.input(), run.epoch(),
                services.store().loadJournal(run.id()), run.deadline(), run.parentId(), run.depth()));
        replay.start();
        if (replay.end().join() instanceof RunEnd.Finished(WorkflowStatus status, String result, FailureInfo failure)
                && failure != null) {
            throw new WorkflowFailedException(run.id(), failure);
        }
        return replay;
    }

    /** How many runs this engine drives now. */
    public int activeRunCount() {
        return active.size();
    }

    /** Whether this engine's last lease renewal failed, so its runs may soon be adopted by others. */
    public boolean isLeaseRenewalFailing() {
        return leaseKeeper.isRenewalFailing();
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
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must not be negative, was " + gracePeriod);
        }
        if (closed) {
            return;
        }
        if (!paused) {
            paused = true;
            handOffRuns(gracePeriod);
        }
        closed = true;
        leaseKeeper.close();
    }

    /**
     * Stops taking work as {@link #close(Duration)} does, handing every run back, but keeps the
     * engine able to {@link #unpause()}: for a Spring context that is stopped and started again.
     */
    public void pause(Duration gracePeriod) {
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must not be negative, was " + gracePeriod);
        }
        if (closed || paused) {
            return;
        }
        paused = true;
        handOffRuns(gracePeriod);
    }

    /** Takes work again after {@link #pause(Duration)}; call {@link #recoverAll()} to take up runs. */
    public void unpause() {
        if (closed) {
            throw new IllegalStateException("this WeftEngine is closed and cannot take work again");
        }
        services.checkpointer().reopen();
        paused = false;
    }

    /** Whether the engine is paused: it drives no run until {@link #unpause()}. */
    public boolean isPaused() {
        return paused && !closed;
    }

    /**
     * Lets in-flight attempts finish for up to {@code gracePeriod}, then stops driving every run
     * and releases it so another engine can adopt it at once.
     */
    private void handOffRuns(Duration gracePeriod) {
        List<RunExecution> driven = new ArrayList<>(active.values());
        if (!gracePeriod.isZero()) {
            driven.forEach(RunExecution::drain);
            long deadline = System.nanoTime() + gracePeriod.toNanos();
            for (RunExecution execution : driven) {
                long left = deadline - System.nanoTime();
                try {
                    execution.end().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // abandoned below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        services.checkpointer().close();
        parked.values().forEach(timer -> timer.cancel(false));
        parked.clear();
        active.values().stream().filter(execution -> !driven.contains(execution)).forEach(driven::add);
        for (RunExecution execution : driven) {
            execution.abandon();
            try {
                services.store().release(execution.runId(), execution.epoch());
            } catch (StoreException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not release run " + execution.runId() + "; its lease will lapse", e);
            }
        }
    }

    WorkflowStatus statusOf(String id) {
        return services.store().findRun(id).orElseThrow(() -> notFound(id)).status();
    }

    <R> @Nullable R awaitResult(String id, Class<R> resultType, @Nullable RunExecution local, @Nullable Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        if (local != null && waitLocally(local, timeout) instanceof RunEnd.Finished finished) {
            return resultOf(id, finished, resultType);
        }
        Duration poll = FIRST_POLL;
        while (true) {
            RunRecord run = services.store().findRun(id).orElseThrow(() -> notFound(id));
            if (run.status().isTerminal()) {
                return resultOf(id, new RunEnd.Finished(run.status(), run.result(), run.failure()), resultType);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw resultTimeout(id, timeout);
            }
            sleepQuietly(Duration.ofNanos(Math.min(left, poll.toNanos())));
            poll = poll.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : poll.multipliedBy(2);
        }
    }

    private @Nullable RunEnd waitLocally(RunExecution local, @Nullable Duration timeout) {
        try {
            return timeout == null ? local.end().get() : local.end().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The outcome is durable a moment before the execution's own future completes: read the
            // store once rather than report a finished run as still going.
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResultTimeoutException("Interrupted while waiting for workflow '" + local.runId() + "'", e);
        } catch (ExecutionException e) {
            return null;
        }
    }

    private <R> @Nullable R resultOf(String id, RunEnd.Finished end, Class<R> resultType) {
        return switch (end.status()) {
            case COMPLETED -> services.serializer().deserialize(end.result(), resultType);
            case FAILED -> throw new WorkflowFailedException(id, Objects.requireNonNull(end.failure()));
            case CANCELLED -> throw new WorkflowCancelledException(id);
            case TIMED_OUT -> throw new WorkflowTimeoutException(id);
            case RUNNING, SUSPENDED -> throw new IllegalStateException("run " + id + " has not ended");
        };
    }

    private void drive(RunClaim claim) {
        drive(claim, services.store().findRun(claim.runId()).orElse(null), null);
    }

    /**
     * @param run the claimed run as read after the claim ({@code null} if it is gone)
     * @param journal its journal as read after the claim, or {@code null} to read it here
     */
    private void drive(RunClaim claim, @Nullable RunRecord run, @Nullable List<JournalEntry> journal) {
        RunExecution stale = active.get(claim.runId());
        if (stale != null) {
            if (stale.epoch() >= claim.epoch()) {
                return;
            }
            // This engine reclaimed a run it still drives (its lease lapsed while renewals failed): the
            // claim raised the epoch, so the old execution can write nothing. Left in place, it would keep
            // the lease renewed while the run makes no progress; it is replaced by one under the new epoch.
            stale.abandon();
            active.remove(claim.runId(), stale);
        }
        if (run == null) {
            throw notFound(claim.runId());
        }
        WorkflowDefinition<?, ?> definition = services.registry().workflow(claim.type());
        if (journal == null) {
            journal = services.store().loadJournal(claim.runId());
        }
        if (run.version() != definition.version() && !definition.continuesVersions().contains(run.version())) {
            failVersionMismatch(claim, definition, run.version());
            return;
        }
        RunExecution execution = new RunExecution(services, new RunSpec(claim.runId(), definition, run.input(), claim.epoch(),
                journal, run.deadline(), run.parentId(), run.depth()), this::exited);
        if (claim.cancelRequested()) {
            execution.cancel();
        }
        active.put(claim.runId(), execution);
        services.events().emit(new EngineEvent.WorkflowRecovered(services.time().now(), claim.runId(), claim.type(), claim.epoch()));
        execution.start();
    }

    /**
     * Ends a run that was written by another version of its workflow than this engine has, and
     * that the code does not say it can continue: replaying it could take another path.
     */
    private void failVersionMismatch(RunClaim claim, WorkflowDefinition<?, ?> definition, int runVersion) {
        VersionMismatchException mismatch = new VersionMismatchException("Workflow '" + claim.runId() + "' (" + claim.type()
                + ") was started by version " + runVersion + " of its definition, and this engine has version "
                + definition.version() + ", which does not declare that it continues version " + runVersion);
        FailureInfo failure = FailureInfo.of(mismatch);
        Instant now = services.time().now();
        try {
            services.store().commit(dev.weft.store.Checkpoint.ending(claim.runId(), claim.epoch(),
                    new dev.weft.store.RunOutcome(WorkflowStatus.FAILED, null, failure, now))).join();
            services.events().emit(new EngineEvent.WorkflowFailed(now, claim.runId(), claim.type(), failure));
        } catch (java.util.concurrent.CompletionException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not fail run " + claim.runId() + " for its version", e.getCause());
        }
    }

    /** This engine's part in starting children: it drives those whose type it knows. */
    private final class Children implements ChildLauncher {

        @Override
        public boolean drivesLocally(String type) {
            return worker && services.registry().hasWorkflow(type);
        }

        @Override
        public int versionOf(String type) {
            return services.registry().hasWorkflow(type) ? services.registry().workflow(type).version() : 1;
        }

        @Override
        public void launch(NewRun child) {
            if (paused) {
                return;
            }
            WorkflowDefinition<?, ?> definition = services.registry().workflow(child.type());
            services.events().emit(new EngineEvent.WorkflowStarted(child.createdAt(), child.id(), child.type()));
            RunExecution execution = new RunExecution(services, new RunSpec(child.id(), definition, child.input(), 1, List.of(),
                    child.deadline(), child.parentId(), child.depth()), WeftEngine.this::exited);
            active.put(child.id(), execution);
            execution.start();
        }

        @Override
        public void wakeParent(String parentId) {
            wakeLocally(parentId);
        }
    }

    /** The periodic adoption: claims what lapsed, without the report (and its warning) of {@link #recoverAll()}. */
    private void adoptQuietly() {
        if (!paused) {
            // Parked runs are taken when due: their own engine's timer usually takes them first.
            claimAndDrive(services.time().now());
        }
    }

    /** Stops driving every run without releasing it: this node's leases lapsed and others may hold them now. */
    private void abandonAll() {
        List.copyOf(active.values()).forEach(RunExecution::abandon);
    }

    private void cancelLocally(String id) {
        RunExecution execution = active.get(id);
        if (execution != null) {
            execution.cancel();
        }
    }

    private void exited(RunExecution execution) {
        if (execution.endedWith() instanceof RunEnd.Parked(Instant wakeAt) && !paused) {
            // The wake is scheduled before the run leaves `active`: a signal landing meanwhile finds
            // the execution (and wakes it) or the timer (and fires it), never neither.
            CompletableFuture<Void> timer = scheduleWake(execution.runId(), wakeAt);
            active.remove(execution.runId(), execution);
            if (execution.wokenWhileParking()) {
                // A signal or cancellation landed while the run was parking: take it up at once.
                timer.complete(null);
            }
        } else {
            active.remove(execution.runId(), execution);
        }
        if (execution.parentId() != null && execution.endedWith() instanceof RunEnd.Finished) {
            wakeLocally(execution.parentId());
        }
    }

    /**
     * Remembers a parked run and takes it up again when its wait ends. Another engine takes it up
     * instead if this one is gone by then: the run is unowned and due in the database.
     */
    private CompletableFuture<Void> scheduleWake(String id, Instant wakeAt) {
        CompletableFuture<Void> timer = wakeAt.equals(WorkflowStore.FAR_FUTURE) ? new CompletableFuture<>() : services.time().timer(wakeAt);
        parked.put(id, timer);
        timer.thenRunAsync(() -> takeUpParked(id, timer), runnable -> Thread.ofVirtual().name("weft-wake-" + id).start(runnable));
        return timer;
    }

    private void takeUpParked(String id, CompletableFuture<Void> timer) {
        if (!parked.remove(id, timer) || paused) {
            return;
        }
        try {
            services.store().claim(id, nodeId(), services.settings().lease()).ifPresent(this::drive);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not take up parked run " + id + "; adoption will", e);
        }
    }

    /** How many runs this engine parked and will take up again when their waits end. */
    public int parkedRunCount() {
        return parked.size();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this WeftEngine is closed");
        }
        if (paused) {
            throw new IllegalStateException("this WeftEngine is paused");
        }
    }

    private static WorkflowNotFoundException notFound(String id) {
        return new WorkflowNotFoundException("No workflow run has the id '" + id + "'");
    }

    private static ResultTimeoutException resultTimeout(String id, @Nullable Duration timeout) {
        return new ResultTimeoutException("Workflow '" + id + "' did not finish within " + timeout);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResultTimeoutException("Interrupted while waiting for a workflow result", e);
        }
    }

    /** Builds a {@link WeftEngine}. Only the store is required. */
    public static final class Builder {

        private @Nullable WorkflowStore store;
        private PayloadSerializer serializer = JacksonPayloadSerializer.withDefaults();
        private TimeSource time = TimeSource.system();
        private String nodeId = defaultNodeId();
        private Duration lease = DEFAULT_LEASE;
        private @Nullable Duration renewInterval;
        private Duration adoptionInterval = DEFAULT_ADOPTION_INTERVAL;
        private RetryPolicy defaultRetryPolicy = RetryPolicy.defaults();
        private boolean developmentMode;
        private long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
        private Duration parkAfter = DEFAULT_PARK_AFTER;
        private int maxChildDepth = DEFAULT_MAX_CHILD_DEPTH;
        private boolean worker = true;
        private final List<EngineListener> listeners = new ArrayList<>();
        private final List<WorkflowDefinition<?, ?>> workflows = new ArrayList<>();
        private final List<ActivityDefinition<?, ?>> activities = new ArrayList<>();

        private Builder() {
        }

        public Builder store(WorkflowStore store) {
            this.store = store;
            return this;
        }

        public Builder serializer(PayloadSerializer serializer) {
            this.serializer = serializer;
            return this;
        }

        /** The time source of backoffs, sleeps and timeouts; leases use the database's clock. */
        public Builder timeSource(TimeSource time) {
            this.time = time;
            return this;
        }

        /** The owner name under which this engine holds leases: unique among live engines on one database. */
        public Builder nodeId(String nodeId) {
            if (nodeId.isBlank() || nodeId.length() > 200) {
                throw new IllegalArgumentException("nodeId must be 1 to 200 characters, was '" + nodeId + "'");
            }
            this.nodeId = nodeId;
            return this;
        }

        public Builder lease(Duration lease) {
            if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("lease must be at least 1s, was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /** How often leases are renewed; a third of the lease unless set. Must be shorter than the lease. */
        public Builder leaseRenewInterval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("leaseRenewInterval must be positive, was " + interval);
            }
            this.renewInterval = interval;
            return this;
        }

        /** How often runs with lapsed leases are looked for; {@link Duration#ZERO} turns it off. */
        public Builder adoptionInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("adoptionInterval must not be negative, was " + interval);
            }
            this.adoptionInterval = interval;
            return this;
        }

        /** The policy beneath every activity's own overrides. */
        public Builder defaultRetryPolicy(RetryPolicy policy) {
            this.defaultRetryPolicy = policy;
            return this;
        }

        /** Emits {@link EngineEvent.DevelopmentWarning}s about code that will not behave as it seems to expect. */
        public Builder developmentMode(boolean enabled) {
            this.developmentMode = enabled;
            return this;
        }

        /**
         * Whether this engine drives runs, {@code true} by default. With {@code false} it is a
         * client: it starts runs with their lease already lapsed, so that worker engines on the
         * same database adopt them, and it never recovers or adopts runs itself.
         */
        public Builder worker(boolean enabled) {
            this.worker = enabled;
            return this;
        }

        /**
         * How long a wait (a sleep, a signal wait) must be for the run to be given up meanwhile:
         * its thread ends and only its journal remains until the wait ends, when it is replayed.
         * {@link Duration#ZERO} parks every wait.
         */
        public Builder parkAfter(Duration threshold) {
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("parkAfter must not be negative, was " + threshold);
            }
            this.parkAfter = threshold;
            return this;
        }

        /** How deep child workflows may nest: a child of a run at this depth is refused. */
        public Builder maxChildDepth(int depth) {
            if (depth < 0) {
                throw new IllegalArgumentException("maxChildDepth must not be negative, was " + depth);
            }
            this.maxChildDepth = depth;
            return this;
        }

        /** The largest payload, in UTF-8 bytes of JSON, accepted from outside (async completion results). */
        public Builder maxPayloadBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxPayloadBytes must be positive, was " + bytes);
            }
            this.maxPayloadBytes = bytes;
            return this;
        }

        public Builder listener(EngineListener listener) {
            listeners.add(listener);
            return this;
        }

        public Builder workflow(WorkflowDefinition<?, ?> workflow) {
            workflows.add(workflow);
            return this;
        }

        public Builder activity(ActivityDefinition<?, ?> activity) {
            activities.add(activity);
            return this;
        }

        public WeftEngine build() {
            if (renewInterval().compareTo(lease) >= 0) {
                throw new IllegalArgumentException("leaseRenewInterval (" + renewInterval() + ") must be shorter than the lease ("
                        + lease + ")");
            }
            return new WeftEngine(this);
        }

        private Duration renewInterval() {
            return renewInterval != null ? renewInterval : lease.dividedBy(3);
        }

        private static String defaultNodeId() {
            String host = System.getenv().getOrDefault("HOSTNAME", "node");
            byte[] suffix = new byte[4];
            ThreadLocalRandom.current().nextBytes(suffix);
            return host + "-" + HexFormat.of().formatHex(suffix);
        }
    }
}
