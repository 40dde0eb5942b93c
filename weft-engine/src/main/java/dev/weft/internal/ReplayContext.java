package dev.weft.internal;

import dev.weft.Signals;
import dev.weft.activity.ActivityOptions;
import dev.weft.failure.DefinitionNames;
import dev.weft.failure.NonDeterministicWorkflowException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.workflow.BranchResults;
import dev.weft.workflow.ChildOptions;
import dev.weft.workflow.ChildWorkflow;
import dev.weft.workflow.RaceResult;
import dev.weft.workflow.Saga;
import dev.weft.workflow.Step;
import dev.weft.workflow.WorkflowContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link WorkflowContext} of one execution. It hands out the journal positions (every
 * durable operation takes the next one; a parallel group takes one for itself and one per branch
 * after it) and passes each operation to the collaborator that performs or replays it.
 */
final class ReplayContext implements WorkflowContext {

    /** The longest memo key, version change id or branch name: the journal's name column holds 1000 characters. */
    private static final int MAX_KEY_LENGTH = 200;

    private final RunExecution run;
    private final ActivitySteps activities;
    private final Sleeps sleeps;
    private final SignalWaits signals;
    private final ParallelGroups groups;
    private final RecordedValues values;
    private final VersionMarkers versions;
    private final ChildRuns children;
    private final QueryHandlers queries;
    private final Random random;
    private final Sagas sagas;
    private final MemoActivityCalls memoCalls;
    private final Registry registry;
    private final PayloadSerializer serializer;
    /** The memo whose callback runs now on the workflow's thread, or {@code null}. */
    private MemoActivityCalls.@Nullable Scope openMemo;
    /** The last position taken; only the workflow thread takes positions, branches get theirs from their group. */
    private long lastSeq;

    ReplayContext(RunEnvironment environment, RunExecution run, ActivityInvoker invoker) {
        this.run = run;
        this.sagas = new Sagas(environment.serializer(), () -> lastSeq,
                (compensation, payload) -> run(compensation, payload, Void.class));
        this.activities = new ActivitySteps(run, environment.registry(), environment.serializer(), invoker, sagas);
        this.memoCalls = new MemoActivityCalls(run, environment, invoker);
        this.registry = environment.registry();
        this.serializer = environment.serializer();
        this.sleeps = new Sleeps(run, environment.time());
        this.signals = new SignalWaits(run, environment.store(), environment.serializer(), environment.time());
        this.groups = new ParallelGroups(run, this::perform);
        this.values = new RecordedValues(run, environment.serializer(), environment.time());
        this.versions = new VersionMarkers(run);
        this.children = new ChildRuns(run, environment.store(), environment.serializer(), environment.time(),
                environment.children(), environment.settings(), this::nextSeq);
        this.queries = new QueryHandlers(run.runId(), environment.serializer());
        this.random = new Random(seedOf(run.runId()));
    }

    @Override
    public String workflowId() {
        return run.runId();
    }

    @Override
    public String workflowType() {
        return run.type();
    }

    @Override
    public <R> @Nullable R run(String activity, @Nullable Object input, Class<R> resultType) {
        return run(activity, input, resultType, ActivityOptions.none());
    }

    @Override
    public <R> @Nullable R run(String activity, @Nullable Object input, Class<R> resultType, ActivityOptions options) {
        run.throwIfCancelled();
        if (openMemo != null) {
            return callInMemo(openMemo, activity, input, resultType, options);
        }
        return activities.perform(nextSeq(), Step.activity(activity, input, resultType, options));
    }

    @Override
    public <R> @Nullable R memoActivity(String activity, @Nullable Object input, Class<R> resultType, ActivityOptions options) {
        run.throwIfCancelled();
        MemoActivityCalls.Scope scope = openMemo;
        if (scope == null) {
            throw new IllegalStateException("memoActivity('" + activity + "') can only be called from a memo callback; "
                    + "outside one, call ctx.run");
        }
        return callInMemo(scope, activity, input, resultType, options);
    }

    private <R> @Nullable R callInMemo(MemoActivityCalls.Scope scope, String activity, @Nullable Object input, Class<R> resultType,
            ActivityOptions options) {
        String resultJson = memoCalls.call(scope, registry.activity(activity), serializer.serialize(input), options);
        return serializer.deserialize(resultJson, resultType);
    }

    /** Refuses a durable operation other than an activity call inside a memo callback, which a replay would never reach. */
    private void requireOutsideMemo(String operation) {
        if (openMemo != null) {
            throw new IllegalStateException(operation + " cannot be used inside a memo callback: a replay that finds the memo "
                    + "recorded does not run its callback. Only activity calls are allowed there; do the rest outside the memo");
        }
    }

    @Override
    public void sleep(Duration duration) {
        run.throwIfCancelled();
        requireOutsideMemo("sleep");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a sleep must not be negative, was " + duration);
        }
        sleeps.sleep(nextSeq(), duration, true);
    }

    @Override
    public <T> @Nullable T awaitSignal(String name, Class<T> payloadType) {
        run.throwIfCancelled();
        requireOutsideMemo("awaitSignal");
        return signals.await(nextSeq(), Signals.requireValidName(name), payloadType, null).orElse(null);
    }

    @Override
    public <T> Optional<T> awaitSignal(String name, Class<T> payloadType, Duration timeout) {
        run.throwIfCancelled();
        requireOutsideMemo("awaitSignal");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a signal timeout must not be negative, was " + timeout);
        }
        return signals.await(nextSeq(), Signals.requireValidName(name), payloadType, timeout);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> List<@Nullable R> all(List<? extends Step<? extends R>> steps) {
        run.throwIfCancelled();
        requireOutsideMemo("all");
        return (List<@Nullable R>) groups.all(takeGroup(steps.size()), steps);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> RaceResult<R> race(List<? extends Step<? extends R>> steps) {
        run.throwIfCancelled();
        requireOutsideMemo("race");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("race needs at least one step");
        }
        return (RaceResult<R>) (RaceResult<?>) groups.race(takeGroup(steps.size()), steps);
    }

    @Override
    public BranchResults runAll(Map<String, ? extends Step<?>> steps) {
        run.throwIfCancelled();
        requireOutsideMemo("runAll");
        // Branches take positions in name order, so the journal does not depend on the map's iteration order.
        List<String> names = steps.keySet().stream().map(name -> plainKey("a branch name", name)).sorted().toList();
        List<Step<?>> ordered = names.stream().<Step<?>>map(steps::get).toList();
        return groups.runAll(takeGroup(ordered.size()), names, ordered);
    }

    @Override
    public Instant now() {
        run.throwIfCancelled();
        requireOutsideMemo("now");
        return values.now(nextSeq());
    }

    @Override
    public <T> @Nullable T memo(String key, Class<T> type, Supplier<? extends @Nullable T> supplier) {
        run.throwIfCancelled();
        requireOutsideMemo("a nested memo");
        long seq = nextSeq();
        return values.memo(seq, plainKey("a memo key", key), type, () -> {
            openMemo = new MemoActivityCalls.Scope(seq, key);
            try {
                return supplier.get();
            } finally {
                openMemo = null;
            }
        });
    }

    @Override
    public void onQuery(String name, Supplier<?> handler) {
        queries.register(name, handler);
    }

    @Override
    public <A> void onQuery(String name, Class<A> argumentType, Function<? super A, ?> handler) {
        queries.register(name, argumentType, handler);
    }

    /** The answer, as JSON, of the query handler the workflow registered under {@code name}. */
    String answerQuery(String name, @Nullable Object argument) {
        return queries.answer(name, argument);
    }

    @Override
    public int getVersion(String changeId, int minSupported, int maxSupported) {
        run.throwIfCancelled();
        requireOutsideMemo("getVersion");
        // The point is offered the next position but takes it only if a version is (or was) recorded there.
        VersionMarkers.Choice choice = versions.choose(lastSeq + 1, plainKey("a version change id", changeId), minSupported,
                maxSupported);
        if (choice.positionTaken()) {
            lastSeq++;
        }
        return versions.supported(choice.version(), changeId, minSupported, maxSupported);
    }

    @Override
    public <R> @Nullable R saga(Function<? super Saga, ? extends @Nullable R> body) {
        run.throwIfCancelled();
        return sagas.run(body);
    }

    @Override
    public <R> ChildWorkflow<R> startChild(String type, @Nullable Object input, Class<R> resultType, ChildOptions options) {
        run.throwIfCancelled();
        requireOutsideMemo("startChild");
        return children.start(nextSeq(), type, input, resultType, options);
    }

    /** Before the run ends: waits for the children whose policy is to be awaited. */
    void awaitChildrenThatMustEndFirst() {
        children.awaitChildrenThatMustEndFirst();
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public UUID randomUuid() {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }

    @Override
    public boolean isReplaying() {
        // The journal as loaded when this execution began: the code before its last position ran before and is
        // replayed; past it, the code runs for the first time.
        return lastSeq < run.highestRecordedSeq();
    }

    @Override
    public Logger logger(String name) {
        return new ReplayAwareLogger(LoggerFactory.getLogger(name), this::isReplaying);
    }

    @Override
    public Logger logger(Class<?> type) {
        return new ReplayAwareLogger(LoggerFactory.getLogger(type), this::isReplaying);
    }

    /** Whether the workflow took a position in the journal: performed (or replayed) any durable operation. */
    boolean tookAnyPosition() {
        return lastSeq > 0;
    }

    /** Fails the run when the journal holds operations the workflow no longer reached. */
    void checkEveryRecordedStepReplayed() {
        long highest = run.highestRecordedSeq();
        if (highest > lastSeq) {
            run.failFatally(new NonDeterministicWorkflowException("Workflow '" + run.runId() + "' (" + run.type()
                    + ") is not deterministic: the journal records " + highest + " operations but the workflow finished after "
                    + lastSeq));
        }
    }

    private long nextSeq() {
        return ++lastSeq;
    }

    /** Takes the position of a group and those of its branches right after it; returns the group's. */
    private long takeGroup(int branches) {
        long groupSeq = nextSeq();
        lastSeq += branches;
        return groupSeq;
    }

    /** Performs (or replays) one branch's step at its position: a branch's sleep never parks the run. */
    private @Nullable Object perform(long seq, Step<?> step) {
        return switch (step) {
            case Step.ActivityStep<?> activity -> activities.perform(seq, activity);
            case Step.SleepStep sleep -> {
                sleeps.sleep(seq, sleep.duration(), false);
                yield null;
            }
        };
    }

    /**
     * Refuses a key the journal records (in its name column) that the store could not hold as it
     * is, before anything is written: a NUL fails on PostgreSQL, a lone surrogate would be stored
     * mangled and the replay would no longer match it.
     */
    private static String plainKey(String what, String key) {
        if (key.length() > MAX_KEY_LENGTH || !DefinitionNames.isPlainText(key)) {
            throw new IllegalArgumentException(what + " must be at most " + MAX_KEY_LENGTH
                    + " characters of valid Unicode with no control characters");
        }
        return key;
    }

    private static long seedOf(String runId) {
        long seed = 1125899906842597L;
        for (int i = 0; i < runId.length(); i++) {
            seed = 31 * seed + runId.charAt(i);
        }
        return seed;
    }
}
