package dev.weft.internal;

import dev.weft.ConcurrencyLimit;
import dev.weft.SignalWithStartResult;
import dev.weft.StartOptions;
import dev.weft.event.EngineEvent;
import dev.weft.failure.ConcurrencyLimitReachedException;
import dev.weft.failure.InvalidInputException;
import dev.weft.failure.PayloadException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.ConcurrencyGroup;
import dev.weft.store.KeyedStart;
import dev.weft.store.LimitedStart;
import dev.weft.store.NewRun;
import dev.weft.store.NewSignal;
import dev.weft.store.SignalDelivery;
import dev.weft.store.SignalWithStart;
import dev.weft.store.WorkflowStore;
import dev.weft.time.StorableTimes;
import dev.weft.time.TimeSource;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Creates runs (alone, or with a signal) and, on a worker engine, starts driving them at once. */
final class RunStarter {

    private final WorkflowStore store;
    private final PayloadSerializer serializer;
    private final TimeSource time;
    private final EventBus events;
    private final Registry registry;
    private final EngineState state;
    private final LeaseSettings lease;
    private final boolean worker;
    private final SignalSender signals;
    private final RunDriver driver;

    RunStarter(WorkflowStore store, PayloadSerializer serializer, TimeSource time, EventBus events, Registry registry,
            EngineState state, LeaseSettings lease, boolean worker, SignalSender signals, RunDriver driver) {
        this.store = store;
        this.serializer = serializer;
        this.time = time;
        this.events = events;
        this.registry = registry;
        this.state = state;
        this.lease = lease;
        this.worker = worker;
        this.signals = signals;
        this.driver = driver;
    }

    StartedRun start(String type, @Nullable Object input, StartOptions options) {
        state.ensureOpen();
        return start(registry.workflow(type), input, options);
    }

    /** @param definition a registered workflow */
    StartedRun start(WorkflowDefinition<?, ?> definition, @Nullable Object input, StartOptions options) {
        state.ensureOpen();
        NewRun run = newRun(definition, input, options);
        ConcurrencyLimit limit = options.concurrency().orElse(null);
        if (options.idempotencyKey().isPresent()) {
            KeyedStart outcome = createKeyed(definition, run, options);
            if (outcome.limited() != null && limit != null) {
                return afterLimited(definition, run, limit, outcome.limited());
            }
            return outcome.created() ? new StartedRun(run.id(), begin(definition, run, null)) : new StartedRun(outcome.runId(), null);
        }
        if (limit != null) {
            return afterLimited(definition, run, limit, store.startLimited(run, limit));
        }
        store.createRun(run);
        return new StartedRun(run.id(), begin(definition, run, null));
    }

    /**
     * Follows up a start under a concurrency limit, as the store decided it: a run created running
     * is driven here at once, a queued one waits, a refusal is thrown. A queue that waits while a
     * slot is free (the pass after an end did not run: its node died) is admitted now, the new run
     * among them if its turn has come.
     */
    private StartedRun afterLimited(WorkflowDefinition<?, ?> definition, NewRun run, ConcurrencyLimit limit, LimitedStart outcome) {
        ConcurrencyGroup group = new ConcurrencyGroup(definition.name(), limit.key());
        if (outcome.outcome() == LimitedStart.Outcome.REFUSED) {
            throw new ConcurrencyLimitReachedException(definition.name(), limit.key(), limit.limit());
        }
        boolean started = outcome.outcome() == LimitedStart.Outcome.STARTED;
        StartedRun startedRun = new StartedRun(run.id(), started ? begin(definition, run, group) : null);
        if (!started) {
            events.emit(new EngineEvent.WorkflowStarted(run.createdAt(), run.id(), definition.name()));
        }
        boolean queue = !started || outcome.queuedAhead() > 0;
        if (queue && outcome.running() + (started ? 1 : 0) < limit.limit()) {
            // runs wait while slots are free: an end whose pass never ran, or a limit this start raised
            driver.admitSoon(group);
        }
        return startedRun;
    }

    /**
     * Creates {@code run} under the options' idempotency key, unless the key leads to a live run,
     * which is found instead; a key whose run has ended is refused unless a new run is asked for.
     */
    private KeyedStart createKeyed(WorkflowDefinition<?, ?> definition, NewRun run, StartOptions options) {
        String key = options.idempotencyKey().orElseThrow();
        KeyedStart outcome = store.startKeyed(run, IdempotencyKeys.digest(key), options.ifEnded() == StartOptions.IfEnded.START_NEW,
                options.concurrency().orElse(null));
        if (outcome.ended() != null) {
            throw new WorkflowAlreadyExistsException("A start of '" + definition.name() + "' with this idempotency key created run '"
                    + outcome.runId() + "', which has ended " + outcome.ended().wireName()
                    + "; start with IfEnded.START_NEW to start a new run under the key");
        }
        return outcome;
    }

    SignalWithStartResult signalWithStart(String type, @Nullable Object input, StartOptions options, String signalName,
            @Nullable Object payload, @Nullable String signalId) {
        state.ensureOpen();
        WorkflowDefinition<?, ?> definition = registry.workflow(type);
        if (options.concurrency().isPresent()) {
            throw new IllegalArgumentException("signal-with-start does not take a concurrency limit: start the run with its "
                    + "limit, then signal it");
        }
        if (options.idempotencyKey().isPresent()) {
            return signalWithKeyedStart(definition, input, options, signalName, payload, signalId);
        }
        String id = options.id().orElseThrow(() -> new IllegalArgumentException(
                "signal-with-start needs the run's id or an idempotency key in its options"));
        NewSignal signal = signals.newSignal(id, signalName, payload, signalId);
        NewRun run = newRun(definition, input, options);
        SignalWithStart outcome = store.signalWithStart(run, signal);
        if (outcome.started()) {
            begin(definition, run, null);
            return new SignalWithStartResult(id, true, true);
        }
        boolean stored = signals.delivered(id, outcome.delivery());
        return new SignalWithStartResult(id, false, stored);
    }

    /**
     * Finds or creates the key's run, then signals it, then (if it is new) starts driving it, so
     * that the run sees the signal. Two writes, not one transaction: a crash between them leaves
     * the run without the signal, and the caller, who got no answer, sends again and finds the run
     * by its key (a signal id makes that second send safe).
     */
    private SignalWithStartResult signalWithKeyedStart(WorkflowDefinition<?, ?> definition, @Nullable Object input,
            StartOptions options, String signalName, @Nullable Object payload, @Nullable String signalId) {
        NewRun run = newRun(definition, input, options);
        // checked before the run is created, so that a bad signal changes nothing
        signals.newSignal(run.id(), signalName, payload, signalId);
        KeyedStart outcome = createKeyed(definition, run, options);
        NewSignal signal = signals.newSignal(outcome.runId(), signalName, payload, signalId);
        if (!outcome.created()) {
            return new SignalWithStartResult(outcome.runId(), false, signals.delivered(outcome.runId(), store.sendSignal(signal)));
        }
        boolean stored = store.sendSignal(signal) == SignalDelivery.DELIVERED;
        begin(definition, run, null);
        return new SignalWithStartResult(run.id(), true, stored);
    }

    /**
     * The input as JSON, refused before anything is written when the workflow could not read it:
     * an input that is not of the declared type (a map or a JSON tree, as an API passes on) would
     * otherwise be accepted, then fail the run on its first step, long after its caller has gone.
     */
    private String inputOf(WorkflowDefinition<?, ?> definition, @Nullable Object input) {
        String inputJson = serializer.serialize(input);
        if (input != null && !definition.inputType().isInstance(input)) {
            try {
                serializer.deserialize(inputJson, definition.inputType());
            } catch (PayloadException unreadable) {
                throw InvalidInputException.of("input", unreadable);
            }
        }
        return inputJson;
    }

    /** The run a start creates: under the options' id, or a random one; its input and deadline refused before anything is written. */
    private NewRun newRun(WorkflowDefinition<?, ?> definition, @Nullable Object input, StartOptions options) {
        String id = options.id().orElseGet(() -> UUID.randomUUID().toString());
        String inputJson = inputOf(definition, input);
        Instant now = time.now();
        Instant deadline = deadline(id, options, now);
        // a client-only engine creates the run with a lease that has already lapsed: workers adopt it
        Duration runLease = worker ? lease.lease() : Duration.ZERO;
        return new NewRun(id, definition.name(), inputJson, lease.nodeId(), runLease, now, deadline, definition.version(), null, 0);
    }

    /** The run's deadline from its execution timeout, checked before anything is written. */
    private static @Nullable Instant deadline(String id, StartOptions options, Instant now) {
        return options.executionTimeout()
                .map(timeout -> StorableTimes.after(now, timeout, "The execution timeout of workflow '" + id + "'"))
                .orElse(null);
    }

    /**
     * Announces a run this engine created and, on a worker, starts driving it (at epoch 1, its first claim).
     *
     * @param group the run's concurrency key, or {@code null}
     */
    private @Nullable CompletableFuture<?> begin(WorkflowDefinition<?, ?> definition, NewRun run, @Nullable ConcurrencyGroup group) {
        events.emit(new EngineEvent.WorkflowStarted(run.createdAt(), run.id(), definition.name()));
        if (!worker) {
            return null;
        }
        return driver.driveNew(definition, run.id(), run.input(), 1, run.deadline(), null, 0, group);
    }
}
