package dev.weft.internal;

import dev.weft.PendingAsyncActivity;
import dev.weft.RecoveryReport;
import dev.weft.SignalWithStartResult;
import dev.weft.StartOptions;
import dev.weft.WorkflowStatus;
import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineListener;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import dev.weft.store.WorkflowStore;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import dev.weft.queue.TaskBroker;
import dev.weft.queue.TaskQueues;
import dev.weft.queue.QueueOptions;
import dev.weft.activity.QueueName;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The engine behind the {@code WeftEngine} facade: wires the parts that each do one job (driving
 * runs, starting them, signals, recovery, async completions, results, the lease keeper, pausing and
 * closing) and passes each call to the part it belongs to.
 */
public final class EngineCore {

    private final EngineConfiguration settings;
    private final Registry registry;
    private final EventBus events;
    private final RunDriver driver;
    private final RunStarter starter;
    private final SignalSender signals;
    private final RunControl runs;
    private final RunQueries queries;
    private final RunRecovery recovery;
    private final AsyncCompletions completions;
    private final ResultWaiter results;
    private final LeaseKeeper leaseKeeper;
    private final EngineLifecycle lifecycle;
    /** This node's worker pools (none when it serves no queue), and the operators' view of every queue. */
    private final WorkerPools queues;
    /** Claims for the remote workers connected to this node. */
    private final RemoteTaskBroker broker;

    /** Builds the engine and starts its background work (lease renewal, adoption). */
    public EngineCore(EngineConfiguration settings) {
        this.settings = settings;
        WorkflowStore store = settings.store();
        // a database without the tables is named now, not by an SQL error in the first run
        store.checkSchema();
        EngineState state = new EngineState();
        this.registry = new Registry();
        this.events = new EventBus();
        events.add(new EventLog());
        settings.listeners().forEach(events::add);
        settings.workflows().forEach(registry::register);
        settings.activities().forEach(registry::register);
        registry.checkCompensations();
        Checkpointer checkpointer = new Checkpointer(store);
        LocalChildLauncher children = new LocalChildLauncher(registry, events, state, settings.worker());
        TaskAnnouncer announcer = new TaskAnnouncer(store, settings.nodeId());
        // the outcomes of this node's pools and of the remote workers connected to it share their transactions
        OutcomeWriter outcomes = new OutcomeWriter(store);
        HeartbeatCache heartbeats = new HeartbeatCache();
        RunEnvironment services = new RunEnvironment(store, checkpointer, settings.serializer(), settings.time(), events, registry,
                heartbeats, children, announcer, new EngineSettings(settings.nodeId(), settings.lease(), settings.defaultRetryPolicy(),
                        settings.developmentMode(), settings.maxPayloadBytes(), settings.parkAfter(), settings.maxChildDepth()));
        NodeRegistration node = new NodeRegistration(store, settings.nodeId(), settings.worker() && settings.registerNode());
        // before the incarnation starts: a refused node must not take up the live node's runs
        node.register(settings.lease());
        Instant incarnationStart = store.databaseTime();
        LeaseSettings lease = new LeaseSettings(settings.nodeId(), settings.lease(), settings.renewInterval(),
                settings.worker() ? settings.adoptionInterval() : Duration.ZERO);
        PayloadLimit payloadLimit = new PayloadLimit(settings.maxPayloadBytes());

        this.driver = new RunDriver(services, state, incarnationStart, settings.worker());
        // The one cycle: runs start children, which are runs of this driver.
        children.driveWith(driver);
        this.signals = new SignalSender(store, settings.serializer(), settings.time(), payloadLimit, driver);
        this.starter = new RunStarter(store, settings.serializer(), settings.time(), events, registry, state, lease, settings.worker(),
                signals, driver);
        this.runs = new RunControl(store, settings.time(), events, registry, driver);
        this.queries = new RunQueries(services, runs, driver);
        this.recovery = new RunRecovery(store, registry, state, lease, settings.worker(), incarnationStart, driver);
        this.completions = new AsyncCompletions(store, settings.serializer(), payloadLimit, driver);
        this.results = new ResultWaiter(store, settings.serializer());
        this.leaseKeeper = new LeaseKeeper(store, lease, driver, node::heartbeat);
        this.lifecycle = new EngineLifecycle(state, store, checkpointer, driver, leaseKeeper, node);
        // a node that drives no runs serves no queue either: it may still enqueue nothing, but read and pause them
        this.queues = new WorkerPools(store, settings.time(), settings.nodeId(), settings.worker() ? settings.queues() : Map.of(),
                new TaskExecution(store, registry, settings.serializer(), settings.time(), events, heartbeats, outcomes, driver::deliver),
                announcer);
        this.broker = new RemoteTaskBroker(store, settings.time(), settings.nodeId(), events, announcer, outcomes, driver::deliver);
        leaseKeeper.start();
        queues.start();
    }

    /** The queues of the database, for operators; this node's pools when it serves any. */
    public TaskQueues queues() {
        return queues;
    }

    /** Claims of queued tasks for the remote workers connected to this node. */
    public TaskBroker taskBroker() {
        return broker;
    }

    /** Starts serving {@code queue} here with {@code concurrency}, leaving its cluster-wide settings; nothing if served already. */
    public void serveQueue(String queue, int concurrency) {
        if (!settings.worker()) {
            throw new IllegalStateException("this engine is not a worker (worker(false)): it serves no queues");
        }
        queues.serve(QueueName.check(queue), QueueOptions.concurrency(concurrency), false);
    }

    public boolean isWorker() {
        return settings.worker();
    }

    public String nodeId() {
        return settings.nodeId();
    }

    public void register(WorkflowDefinition<?, ?> workflow) {
        registry.register(workflow);
    }

    public void register(ActivityDefinition<?, ?> activity) {
        registry.register(activity);
    }

    /** @throws WorkflowNotRegisteredException when no workflow of that type is registered */
    public WorkflowDefinition<?, ?> workflow(String type) {
        return registry.workflow(type);
    }

    /** The names of the registered workflow types, sorted. */
    public List<String> workflowTypes() {
        return registry.workflowTypes().stream().sorted().toList();
    }

    /** The names of the registered activities, sorted. */
    public List<String> activityNames() {
        return registry.activityNames().stream().sorted().toList();
    }

    public void addListener(EngineListener listener) {
        events.add(listener);
    }

    public void removeListener(EngineListener listener) {
        events.remove(listener);
    }

    public StartedRun start(String type, @Nullable Object input, StartOptions options) {
        return starter.start(type, input, options);
    }

    /** @param workflow a registered workflow */
    public StartedRun start(WorkflowDefinition<?, ?> workflow, @Nullable Object input, StartOptions options) {
        return starter.start(workflow, input, options);
    }

    public SignalWithStartResult signalWithStart(String type, @Nullable Object input, StartOptions options, String signalName,
            @Nullable Object payload, @Nullable String signalId) {
        return starter.signalWithStart(type, input, options, signalName, payload, signalId);
    }

    public boolean signal(String id, String name, @Nullable Object payload, @Nullable String signalId) {
        return signals.signal(id, name, payload, signalId);
    }

    /** The result type of the run's workflow as registered here, or {@code Object} when it is not. */
    public Class<?> resultTypeOf(String id) {
        return runs.resultTypeOf(id);
    }

    /** @throws WorkflowNotFoundException when no run has that id */
    public void requireRun(String id) {
        runs.find(id);
    }

    public WorkflowStatus statusOf(String id) {
        return runs.statusOf(id);
    }

    /** Completes when this engine's execution of the run ends; {@code null} if this engine does not drive it now. */
    public @Nullable CompletableFuture<?> localEnd(String id) {
        return driver.localEnd(id);
    }

    /** Waits for the run's result; {@code localEnd} as {@link #localEnd(String)} gave it, {@code timeout} {@code null} for no limit. */
    public <R> @Nullable R awaitResult(String id, Class<R> resultType, @Nullable CompletableFuture<?> localEnd,
            @Nullable Duration timeout) {
        return results.await(id, resultType, localEnd, timeout);
    }

    public boolean cancel(String id) {
        return runs.cancel(id);
    }

    public boolean suspend(String id) {
        return runs.suspend(id);
    }

    public <R> @Nullable R query(String id, String name, @Nullable Object argument, Class<R> resultType) {
        return queries.query(id, name, argument, resultType);
    }

    public RecoveryReport recoverAll() {
        return recovery.recoverAll();
    }

    /** Takes up one run unless it has ended or is driven here already. */
    public void resume(String id) {
        recovery.resume(id);
    }

    public void completeAsyncActivity(String token, @Nullable Object result) {
        completions.complete(token, result);
    }

    public void failAsyncActivity(String token, FailureInfo failure) {
        completions.fail(token, failure);
    }

    public List<PendingAsyncActivity> pendingAsyncActivities(String workflowId) {
        return completions.pending(workflowId);
    }

    public int activeRunCount() {
        return driver.activeCount();
    }

    public int parkedRunCount() {
        return driver.parkedCount();
    }

    public boolean isLeaseRenewalFailing() {
        return leaseKeeper.isRenewalFailing();
    }

    public void close(Duration gracePeriod) {
        // first: the outcomes of the tasks that end within the grace period wake their runs before those are handed off
        queues.close(gracePeriod);
        broker.close();
        lifecycle.close(gracePeriod);
    }

    public void pause(Duration gracePeriod) {
        lifecycle.pause(gracePeriod);
    }

    public void unpause() {
        lifecycle.unpause();
    }

    public boolean isPaused() {
        return lifecycle.isPaused();
    }
}
