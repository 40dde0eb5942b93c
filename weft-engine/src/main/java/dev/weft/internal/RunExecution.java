package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.failure.NonDeterministicWorkflowException;
import dev.weft.failure.WeftException;
import dev.weft.store.ActivityRecord;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.NewTask;
import dev.weft.store.RunOutcome;
import dev.weft.workflow.CurrentWorkflow;
import dev.weft.workflow.WorkflowDefinition;
import dev.weft.workflow.WorkflowFunction;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run driven by this process: its workflow thread from start to end, the checkpoints it
 * writes, and how it is cancelled, abandoned or drained. What it replays is its
 * {@link RecordedJournal}; how its threads wait is its {@link RunWaits}; how it hears that what
 * they wait for changed is its {@link RunWakeups}; whether a long wait gives its thread up is its
 * {@link RunParking}.
 */
final class RunExecution {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final RunEnvironment environment;
    private final String runId;
    private final WorkflowDefinition<?, ?> definition;
    private final String inputJson;
    private final long epoch;
    private final RecordedJournal journal;
    private final Consumer<RunExecution> onExit;
    private final ReplayContext context;
    private final RunEnding ending;
    private final RunWaits waits;
    private final InFlightAttempts inFlight = new InFlightAttempts();
    private final RunWakeups wakeups = new RunWakeups();
    private final RejectedCheckpointEnding rejection;
    private final RunCheckpoints checkpoints;
    private final RunConclusion conclusion;
    private final RunParking parking;

    private final CompletableFuture<RunEnd> end = new CompletableFuture<>();
    private volatile boolean draining;
    private volatile @Nullable WeftException fatal;
    private volatile @Nullable RunEnd endedWith;
    private final @Nullable Instant deadline;
    private final @Nullable String parentId;
    private final int depth;
    private final boolean readOnly;

    public RunExecution(RunEnvironment environment, RunSpec spec, Consumer<RunExecution> onExit) {
        this(environment, spec, onExit, false);
    }

    /** A read-only execution that replays the journal to answer a query: writes nothing, runs no activity, stops at its end. */
    public static RunExecution forQuery(RunEnvironment environment, RunSpec spec) {
        return new RunExecution(environment, spec, ignored -> { }, true);
    }

    private RunExecution(RunEnvironment environment, RunSpec spec, Consumer<RunExecution> onExit, boolean readOnly) {
        this.readOnly = readOnly;
        this.deadline = spec.deadline();
        this.parentId = spec.parentId();
        this.depth = spec.depth();
        this.environment = environment;
        this.runId = spec.runId();
        this.definition = spec.definition();
        this.inputJson = spec.inputJson();
        this.epoch = spec.epoch();
        this.journal = new RecordedJournal(spec.journal());
        this.onExit = onExit;
        this.waits = new RunWaits(runId, readOnly);
        this.rejection = new RejectedCheckpointEnding(environment, runId, epoch, definition.name(), parentId);
        this.checkpoints = new RunCheckpoints(environment.checkpointer(), refusal -> {
            rejection.note(refusal);
            abandon();
        });
        // before the context: the collaborators that wait take the parking (and the wake-ups) when they are made
        this.parking = new RunParking(this, checkpoints, waits, inFlight, environment.time(), environment.settings().parkAfter(),
                deadline);
        ActivityInvoker invoker = new ActivityInvoker(this, environment.store(), environment.checkpointer(), environment.serializer(),
                environment.time(), environment.events(), environment.heartbeats(), environment.settings());
        this.context = new ReplayContext(environment, this, invoker);
        this.ending = new RunEnding(this, context, environment.time(), environment.events(),
                environment.settings().developmentMode() ? definition.describe() : null);
        this.conclusion = new RunConclusion(runId, readOnly, waits, ending, environment.serializer(), rejection, inFlight,
                () -> fatal);
    }

    public String runId() {
        return runId;
    }

    public String type() {
        return definition.name();
    }

    /** The parent run of a child, or {@code null}. */
    public @Nullable String parentId() {
        return parentId;
    }

    int depth() {
        return depth;
    }

    public long epoch() {
        return epoch;
    }

    /** How this execution ended, once it has (set just before {@link #end()} completes). */
    public @Nullable RunEnd endedWith() {
        return endedWith;
    }

    /** Completes when this execution ends, durably or by being abandoned. */
    public CompletableFuture<RunEnd> end() {
        return end;
    }

    /** Starts the workflow thread, and the timer of its execution timeout if it has one. */
    public void start() {
        if (deadline != null && !readOnly) {
            CompletableFuture<Void> timer = environment.time().timer(deadline);
            end.whenComplete((ignored, error) -> timer.cancel(false));
            timer.thenRun(this::timeOut);
        }
        Thread.ofVirtual().name("weft-run-" + runId).start(this::drive);
    }

    /** Ends the run at its deadline: like a cancellation, but it ends timed out. */
    private void timeOut() {
        waits.markTimedOut();
        inFlight.stop("workflow " + runId + " ran past its execution timeout", waits::requestCancel);
    }

    /**
     * Fires the cancellation of every in-flight attempt and unwinds the workflow at its current
     * wait. The durable cancellation request must already be stored.
     */
    public void cancel() {
        inFlight.stop("workflow " + runId + " was cancelled", waits::requestCancel);
    }

    /** Stops driving the run without writing anything: the engine is closing or lost the run. */
    public void abandon() {
        inFlight.stop("this engine stopped driving workflow " + runId, waits::abandon);
    }

    /**
     * Lets the activity attempts in flight finish and record their outcomes, then abandons the run
     * (when the last of them is checkpointed): no new attempt starts. A run with no attempt in
     * flight is abandoned now, after a keyed step's completion held back for its next write is
     * written: its thread may be in the workflow's own code for as long as that takes.
     */
    public void drain() {
        draining = true;
        if (inFlight.isEmpty()) {
            try {
                checkpoints.writeHeldBack();
            } catch (AbandonRun refused) {
                // the run was lost or is failing: the next owner reconciles the step through its record
                LOG.debug("Could not write the held-back completion of run {} while draining it: {}", runId, refused.getMessage());
            }
            abandon();
        }
    }

    boolean isCancelRequested() {
        return waits.isCancelRequested();
    }

    /** Whether the run is being drained: its attempts in flight finish, no new one starts. */
    boolean isDraining() {
        return draining;
    }

    /** How the run hears that something it waits for changed. */
    RunWakeups wakeups() {
        return wakeups;
    }

    /** Whether and how the run gives up its thread at a long wait. */
    RunParking parking() {
        return parking;
    }

    /** Whether this engine stopped driving the run, though its thread may not have unwound yet. */
    boolean isAbandoned() {
        return waits.isAbandoned();
    }

    @Nullable JournalEntry recorded(long seq) {
        return journal.at(seq);
    }

    long highestRecordedSeq() {
        return journal.highestSeq();
    }

    /** Checks that a recorded entry is the operation the workflow asks for now. */
    void expect(JournalEntry entry, EntryKind kind, String name) {
        NonDeterministicWorkflowException divergence = RecordedJournal.divergence(runId, definition.name(), entry, kind, name);
        if (divergence != null) {
            failFatally(divergence);
        }
    }

    /** Fails the run with {@code error}, even if the workflow code catches it: replay cannot go on safely. */
    void failFatally(WeftException error) {
        fatal = error;
        throw error;
    }

    void commit(JournalEntry entry) {
        commit(entry, null);
    }

    /** Commits {@code entry} and, when given, a reconciliation record with it, in the same checkpoint. */
    void commit(JournalEntry entry, @Nullable ActivityRecord record) {
        throwIfReadOnly();
        waits.throwIfAbandoned();
        write(record == null ? Checkpoint.of(runId, epoch, entry) : Checkpoint.recording(runId, epoch, entry, record));
        if (draining && inFlight.isEmpty()) {
            // The last attempt in flight has recorded its outcome: hand the run back before another starts.
            abandon();
        }
    }

    /**
     * Records a keyed step's completion (its entry and its {@code completed} record) with the run's
     * next write, as {@link RunCheckpoints} explains; at once while the run is draining, so that
     * it is handed back with every outcome written.
     */
    void commitWithNextWrite(@Nullable JournalEntry entry, ActivityRecord record) {
        throwIfReadOnly();
        waits.throwIfAbandoned();
        // no entry: a queued step's, which the worker that ran it wrote already
        checkpoints.holdBack(entry == null ? Checkpoint.recording(epoch, record) : Checkpoint.recording(runId, epoch, entry, record));
        if (draining) {
            writeHeldBack();
        }
    }

    /**
     * Writes a completion held back for the run's next write, now: before the run waits, or runs
     * an activity or other code with effects.
     */
    void writeHeldBack() {
        if (readOnly || !checkpoints.writeHeldBack()) {
            return;
        }
        if (draining && inFlight.isEmpty()) {
            abandon();
            waits.throwIfAbandoned();
        }
    }

    /** Commits a keyed step's reconciliation record, with a completion held back if there is one. */
    void commitRecord(ActivityRecord record) {
        waits.throwIfAbandoned();
        write(Checkpoint.recording(epoch, record));
    }

    /** Writes a checkpoint; one refused (the run lost, or never writable: it fails) stops the whole run at once, branches too. */
    private void write(Checkpoint checkpoint) {
        throwIfReadOnly();
        checkpoints.write(checkpoint);
    }

    /** Records {@code entry}, which starts {@code child}, and creates the child's run, in one checkpoint. */
    void commitStartingChild(JournalEntry entry, NewRun child) {
        waits.throwIfAbandoned();
        write(Checkpoint.startingChild(runId, epoch, entry, child));
    }

    /**
     * Records {@code entry}, a step queued, and puts its task on the queue, in one checkpoint; then
     * tells the pools, or hands the task to this node's pool if it took it as it was enqueued.
     */
    void commitEnqueuing(JournalEntry entry, NewTask task) {
        throwIfReadOnly();
        waits.throwIfAbandoned();
        environment.tasks().enqueue(task, written -> write(Checkpoint.enqueuing(runId, epoch, entry, written)));
    }

    /** Records {@code entry}, which consumes the signal {@code signalId}, in one checkpoint. */
    void commitConsuming(JournalEntry entry, long signalId) {
        waits.throwIfAbandoned();
        write(Checkpoint.consuming(runId, epoch, entry, signalId));
    }

    /** Whether this execution only replays the journal to answer a query. */
    boolean isReadOnly() {
        return readOnly;
    }

    /** Stops a read-only replay before it would perform or wait for anything. */
    void throwIfReadOnly() {
        if (readOnly) {
            throw new ReplayFrontier();
        }
    }

    /**
     * The answer of a query handler registered by the workflow, with its argument and its answer
     * passed through JSON, as they would be over the wire.
     */
    public Object answerQuery(String name, @Nullable Object argument) {
        return context.answerQuery(name, argument);
    }

    void throwIfCancelled() {
        waits.throwIfCancelled();
    }

    /** See {@link RunWaits#await}; a completion held back is written first. */
    <T> T await(CompletableFuture<T> future) {
        writeHeldBack();
        return waits.await(future);
    }

    /** See {@link RunWaits#awaitIgnoringCancellation}; a completion held back is written first. */
    void awaitIgnoringCancellation(CompletableFuture<?> future) {
        writeHeldBack();
        waits.awaitIgnoringCancellation(future);
    }

    void track(CancellationSignal signal) {
        inFlight.track(signal);
    }

    void untrack(CancellationSignal signal) {
        inFlight.untrack(signal);
    }

    @SuppressWarnings("unchecked")
    private void drive() {
        CurrentWorkflow.bind(context);
        RunEnd outcome;
        try {
            throwIfCancelled();
            Object input = environment.serializer().deserialize(inputJson, definition.inputType());
            Object result = ((WorkflowFunction<Object, Object>) definition.function()).execute(context, input);
            context.checkEveryRecordedStepReplayed();
            outcome = conclusion.of(result, null);
        } catch (AbandonRun abandon) {
            outcome = conclusion.abandonedBy(abandon);
        } catch (RunParked parked) {
            outcome = new RunEnd.Parked(parked.wakeAt());
        } catch (ReplayFrontier frontier) {
            outcome = new RunEnd.Abandoned();
        } catch (Throwable error) {
            outcome = conclusion.of(null, error);
        } finally {
            CurrentWorkflow.clear();
        }
        // The engine forgets the execution before anyone waiting for its end is released, so that a
        // caller who saw the result never sees the run still counted as active.
        endedWith = outcome;
        onExit.accept(this);
        end.complete(outcome);
    }

    /** Records how the run ended; see {@link RunEnding}. */
    void writeEnding(RunOutcome outcome) {
        write(Checkpoint.ending(runId, epoch, outcome));
    }
}
