package dev.weft.internal;

import dev.weft.SignalWithStartResult;
import dev.weft.StartOptions;
import dev.weft.event.EngineEvent;
import dev.weft.failure.InvalidInputException;
import dev.weft.failure.PayloadException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.NewRun;
import dev.weft.store.NewSignal;
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
        String id = options.id().orElseGet(() -> UUID.randomUUID().toString());
        String inputJson = inputOf(definition, input);
        Instant now = time.now();
        Instant deadline = deadline(id, options, now);
        long epoch = store.createRun(newRun(id, definition, inputJson, now, deadline));
        return new StartedRun(id, begin(definition, id, inputJson, epoch, now, deadline));
    }

    SignalWithStartResult signalWithStart(String type, @Nullable Object input, StartOptions options, String signalName,
            @Nullable Object payload, @Nullable String signalId) {
        state.ensureOpen();
        WorkflowDefinition<?, ?> definition = registry.workflow(type);
        String id = options.id().orElseThrow(() -> new IllegalArgumentException("signal-with-start needs the run's id in its options"));
        NewSignal signal = signals.newSignal(id, signalName, payload, signalId);
        String inputJson = inputOf(definition, input);
        Instant now = time.now();
        Instant deadline = deadline(id, options, now);
        SignalWithStart outcome = store.signalWithStart(newRun(id, definition, inputJson, now, deadline), signal);
        if (outcome.started()) {
            begin(definition, id, inputJson, 1, now, deadline);
            return new SignalWithStartResult(id, true, true);
        }
        boolean stored = signals.delivered(id, outcome.delivery());
        return new SignalWithStartResult(id, false, stored);
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

    /** The run's deadline from its execution timeout, checked before anything is written. */
    private static @Nullable Instant deadline(String id, StartOptions options, Instant now) {
        return options.executionTimeout()
                .map(timeout -> StorableTimes.after(now, timeout, "The execution timeout of workflow '" + id + "'"))
                .orElse(null);
    }

    private NewRun newRun(String id, WorkflowDefinition<?, ?> definition, String inputJson, Instant now, @Nullable Instant deadline) {
        // a client-only engine creates the run with a lease that has already lapsed: workers adopt it
        Duration runLease = worker ? lease.lease() : Duration.ZERO;
        return new NewRun(id, definition.name(), inputJson, lease.nodeId(), runLease, now, deadline, definition.version(), null, 0);
    }

    private @Nullable CompletableFuture<?> begin(WorkflowDefinition<?, ?> definition, String id, String inputJson, long epoch,
            Instant now, @Nullable Instant deadline) {
        events.emit(new EngineEvent.WorkflowStarted(now, id, definition.name()));
        if (!worker) {
            return null;
        }
        return driver.driveNew(definition, id, inputJson, epoch, deadline, null, 0);
    }
}
