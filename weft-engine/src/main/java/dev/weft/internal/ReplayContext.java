package dev.weft.internal;

import dev.weft.failure.FailureCategory;
import dev.weft.failure.NonDeterministicWorkflowException;
import dev.weft.failure.WeftException;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.workflow.BranchResults;
import dev.weft.workflow.RaceResult;
import dev.weft.workflow.Step;
import dev.weft.workflow.WorkflowContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link WorkflowContext} of one execution. Every durable operation takes the next position;
 * a position with a recorded outcome is answered from the journal, anything else is performed and
 * checkpointed. Parallel groups take one position for the group and one per branch after it.
 */
final class ReplayContext implements WorkflowContext {

    private static final String SLEEP = "sleep";
    private static final String NOW = "now";
    private static final String MEMO_PREFIX = "memo:";

    /** A child this run started, and what the run's end does to it. */
    record ChildRef(String id, String policy) {
    }

    /** A registered query handler and the type its argument is read as. */
    record QueryHandler(Class<?> argumentType, java.util.function.Function<Object, ?> function) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, QueryHandler> queries = new java.util.concurrent.ConcurrentHashMap<>();

    /** Children started (or replayed) by this execution. */
    private final List<ChildRef> children = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Branches of parallel groups still running: a run cannot be parked while any is. */
    private final java.util.concurrent.atomic.AtomicInteger openBranches = new java.util.concurrent.atomic.AtomicInteger();

    private final EngineServices services;
    private final RunExecution run;
    private final ActivityInvoker invoker;
    private final Random random;
    private long lastSeq;

    ReplayContext(EngineServices services, RunExecution run, ActivityInvoker invoker) {
        this.services = services;
        this.run = run;
        this.invoker = invoker;
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
        return perform(nextSeq(), Step.activity(activity, input, resultType, options));
    }

    @Override
    public void sleep(Duration duration) {
        run.throwIfCancelled();
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a sleep must not be negative, was " + duration);
        }
        performSleep(nextSeq(), duration, true);
    }

    @Override
    public <T> @Nullable T awaitSignal(String name, Class<T> payloadType) {
        run.throwIfCancelled();
        return awaitSignal(nextSeq(), name, payloadType, null).orElse(null);
    }

    @Override
    public <T> java.util.Optional<T> awaitSignal(String name, Class<T> payloadType, Duration timeout) {
        run.throwIfCancelled();
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a signal timeout must not be negative, was " + timeout);
        }
        return awaitSignal(nextSeq(), name, payloadType, timeout);
    }

    /**
     * Consumes the next signal of {@code name}, waiting for it up to the recorded deadline. The
     * wait is recorded first (with its deadline), so replay keeps the deadline; the consumption is
     * recorded with the signal marked consumed, in one checkpoint.
     */
    private <T> java.util.Optional<T> awaitSignal(long seq, String name, Class<T> payloadType, @Nullable Duration timeout) {
        String entryName = "signal:" + name;
        JournalEntry entry = run.recorded(seq);
        Instant deadline;
        Instant scheduledAt;
        if (entry != null) {
            run.expect(entry, EntryKind.SIGNAL, entryName);
            if (entry.state().isFinished()) {
                return java.util.Optional.ofNullable(services.serializer().deserialize(entry.result(), payloadType));
            }
            deadline = entry.dueAt();
            scheduledAt = entry.scheduledAt();
        } else {
            scheduledAt = services.time().now();
            deadline = timeout == null ? null : scheduledAt.plus(timeout);
        }
        JournalEntry waiting = new JournalEntry(seq, EntryKind.SIGNAL, entryName,
                deadline == null ? EntryState.PENDING : EntryState.WAITING, null, null, 0, deadline, scheduledAt);
        boolean recorded = entry != null;
        while (true) {
            CompletableFuture<Void> wake = run.wakeSignal();
            java.util.Optional<dev.weft.store.PendingSignal> signal = services.store().nextSignal(run.runId(), name);
            if (signal.isPresent()) {
                run.commitConsuming(new JournalEntry(seq, EntryKind.SIGNAL, entryName, EntryState.COMPLETED,
                        signal.get().payload() == null ? "null" : signal.get().payload(), null, 0, null, scheduledAt), signal.get().id());
                return java.util.Optional.ofNullable(services.serializer().deserialize(signal.get().payload(), payloadType));
            }
            if (deadline != null && !services.time().now().isBefore(deadline)) {
                // A timed-out wait has no result at all, unlike a signal whose payload is null.
                run.commit(new JournalEntry(seq, EntryKind.SIGNAL, entryName, EntryState.COMPLETED, null, null, 0, null, scheduledAt));
                return java.util.Optional.empty();
            }
            Instant wakeAt = deadline == null ? dev.weft.store.WorkflowStore.FAR_FUTURE : deadline;
            if (!wake.isDone() && run.mayPark(wakeAt, openBranches.get())) {
                run.park(recorded ? List.of() : List.of(waiting), wakeAt, wake);
            }
            if (!recorded) {
                run.commit(waiting);
                recorded = true;
            }
            CompletableFuture<Void> timer = deadline == null ? new CompletableFuture<>() : services.time().timer(deadline);
            try {
                run.await(CompletableFuture.anyOf(wake, timer));
            } finally {
                timer.cancel(false);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> List<@Nullable R> all(List<? extends Step<? extends R>> steps) {
        run.throwIfCancelled();
        List<CompletableFuture<Object>> branches = startGroup("all[" + steps.size() + "]", steps);
        settleAll(branches);
        List<@Nullable R> results = new ArrayList<>(branches.size());
        for (CompletableFuture<Object> branch : branches) {
            results.add((R) valueOf(branch));
        }
        return results;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> RaceResult<R> race(List<? extends Step<? extends R>> steps) {
        run.throwIfCancelled();
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("race needs at least one step");
        }
        long groupSeq = nextSeq();
        String shape = "race[" + steps.size() + "]";
        JournalEntry group = run.recorded(groupSeq);
        lastSeq += steps.size();
        if (group != null) {
            run.expect(group, EntryKind.GROUP, shape);
            if (group.result() != null) {
                int winner = Integer.parseInt(group.result());
                Object value = valueOf(replayedBranch(groupSeq + 1 + winner, steps.get(winner)));
                return new RaceResult<>(winner, (R) value);
            }
        } else {
            run.commit(groupEntry(groupSeq, shape, null));
        }
        List<CompletableFuture<Object>> branches = startBranches(groupSeq, steps);
        run.await(CompletableFuture.anyOf(branches.toArray(CompletableFuture[]::new)).handle((ignored, error) -> null));
        int winner = 0;
        while (!branches.get(winner).isDone()) {
            winner++;
        }
        run.commit(groupEntry(groupSeq, shape, Integer.toString(winner)));
        return new RaceResult<>(winner, (R) valueOf(branches.get(winner)));
    }

    @Override
    public BranchResults runAll(Map<String, ? extends Step<?>> steps) {
        run.throwIfCancelled();
        // Branches take positions in name order, so the journal does not depend on the map's iteration order.
        List<String> names = steps.keySet().stream().sorted().toList();
        List<Step<?>> ordered = names.stream().<Step<?>>map(steps::get).toList();
        List<CompletableFuture<Object>> branches = startGroup("runAll" + names, ordered);
        settleAll(branches);
        Map<String, BranchResults.Outcome> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            outcomes.put(names.get(i), outcomeOf(branches.get(i)));
        }
        return new BranchResults(outcomes);
    }

    @Override
    public Instant now() {
        run.throwIfCancelled();
        long seq = nextSeq();
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.VALUE, NOW);
            return Instant.parse(services.serializer().deserialize(entry.result(), String.class));
        }
        Instant now = services.time().now();
        run.commit(valueEntry(seq, NOW, services.serializer().serialize(now.toString())));
        return now;
    }

    @Override
    public <T> @Nullable T memo(String key, Class<T> type, Supplier<? extends @Nullable T> supplier) {
        run.throwIfCancelled();
        long seq = nextSeq();
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.VALUE, MEMO_PREFIX + key);
            return services.serializer().deserialize(entry.result(), type);
        }
        run.throwIfReadOnly();
        T value = supplier.get();
        run.commit(valueEntry(seq, MEMO_PREFIX + key, services.serializer().serialize(value)));
        return value;
    }

    @Override
    public void onQuery(String name, java.util.function.Supplier<?> handler) {
        queries.put(name, new QueryHandler(Void.class, ignored -> handler.get()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A> void onQuery(String name, Class<A> argumentType, java.util.function.Function<? super A, ?> handler) {
        queries.put(name, new QueryHandler(argumentType, argument -> handler.apply((A) argument)));
    }

    @Nullable QueryHandler query(String name) {
        return queries.get(name);
    }

    java.util.Set<String> queryNames() {
        return java.util.Set.copyOf(queries.keySet());
    }

    @Override
    public int getVersion(String changeId, int minSupported, int maxSupported) {
        run.throwIfCancelled();
        if (minSupported > maxSupported || minSupported < DEFAULT_VERSION) {
            throw new IllegalArgumentException("getVersion needs " + DEFAULT_VERSION + " <= minSupported <= maxSupported, was "
                    + minSupported + " and " + maxSupported);
        }
        String name = "version:" + changeId;
        long seq = lastSeq + 1;
        JournalEntry entry = run.recorded(seq);
        int version;
        if (entry == null) {
            // A first execution of this point: it takes the newest path, and records so.
            version = maxSupported;
            lastSeq = seq;
            run.commit(new JournalEntry(seq, EntryKind.VERSION, name, EntryState.COMPLETED, Integer.toString(version), null, 0,
                    null, null));
        } else if (entry.kind() == EntryKind.VERSION && entry.name().equals(name)) {
            version = Integer.parseInt(entry.result());
            lastSeq = seq;
        } else {
            // The run passed this point before the change was made: it took the old path, and the
            // point takes no position of its own in its journal.
            version = DEFAULT_VERSION;
        }
        if (version < minSupported || version > maxSupported) {
            run.failFatally(new dev.weft.failure.VersionMismatchException("Workflow '" + run.runId() + "' took version " + version
                    + " of change '" + changeId + "', which this code no longer supports (it supports " + minSupported + " to "
                    + maxSupported + ")"));
        }
        return version;
    }

    @Override
    public <R> dev.weft.workflow.ChildWorkflow<R> startChild(String type, @Nullable Object input, Class<R> resultType,
            dev.weft.workflow.ChildOptions options) {
        run.throwIfCancelled();
        long seq = nextSeq();
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.CHILD, type);
            ChildRef replayed = services.serializer().deserialize(entry.result(), ChildRef.class);
            children.add(replayed);
            return new ChildHandle<>(replayed.id(), resultType);
        }
        int depth = run.depth() + 1;
        if (depth > services.maxChildDepth()) {
            throw new dev.weft.failure.ChildWorkflowDepthExceededException("Workflow '" + run.runId() + "' cannot start a child of type '"
                    + type + "': children may nest at most " + services.maxChildDepth() + " deep");
        }
        String childId = options.explicitId().orElse(run.runId() + "/" + seq);
        if (options.explicitId().isPresent() && services.store().findRun(childId).isPresent()) {
            throw new dev.weft.failure.WorkflowAlreadyExistsException("A run with id '" + childId + "' already exists");
        }
        Instant now = services.time().now();
        boolean local = services.children().drivesLocally(type);
        dev.weft.store.NewRun child = new dev.weft.store.NewRun(childId, type, services.serializer().serialize(input),
                services.nodeId(), local ? services.lease() : Duration.ZERO, now,
                options.executionTimeout() == null ? null : now.plus(options.executionTimeout()),
                services.children().versionOf(type), run.runId(), seq, options.parentClosePolicy().wireName(), depth);
        ChildRef ref = new ChildRef(childId, options.parentClosePolicy().wireName());
        run.commitStartingChild(new JournalEntry(seq, EntryKind.CHILD, type, EntryState.COMPLETED,
                services.serializer().serialize(ref), null, 0, null, now), child);
        children.add(ref);
        if (local) {
            services.children().launch(child);
        }
        return new ChildHandle<>(childId, resultType);
    }

    /** The parent's side of a child: its result is a durable wait at the position where it is asked for. */
    private final class ChildHandle<R> implements dev.weft.workflow.ChildWorkflow<R> {

        private final String childId;
        private final Class<R> resultType;

        ChildHandle(String childId, Class<R> resultType) {
            this.childId = childId;
            this.resultType = resultType;
        }

        @Override
        public String id() {
            return childId;
        }

        @Override
        public @Nullable R result() {
            run.throwIfCancelled();
            long seq = nextSeq();
            String name = "child:" + childId;
            JournalEntry entry = run.recorded(seq);
            if (entry != null) {
                run.expect(entry, EntryKind.CHILD_RESULT, name);
                if (entry.state().isFinished()) {
                    return outcome(entry);
                }
            }
            while (true) {
                CompletableFuture<Void> wake = run.wakeSignal();
                dev.weft.store.RunRecord child = services.store().findRun(childId).orElseThrow(() ->
                        new dev.weft.failure.WorkflowNotFoundException("Child workflow '" + childId + "' is gone"));
                if (child.status().isTerminal()) {
                    JournalEntry ended = child.status() == dev.weft.WorkflowStatus.COMPLETED
                            ? new JournalEntry(seq, EntryKind.CHILD_RESULT, name, EntryState.COMPLETED, child.result(), null, 0, null, null)
                            : new JournalEntry(seq, EntryKind.CHILD_RESULT, name, EntryState.FAILED, null, failureOf(child), 0, null, null);
                    run.commit(ended);
                    return outcome(ended);
                }
                if (!wake.isDone() && run.mayPark(dev.weft.store.WorkflowStore.FAR_FUTURE, openBranches.get())) {
                    run.park(List.of(), dev.weft.store.WorkflowStore.FAR_FUTURE, wake);
                }
                run.await(wake);
            }
        }

        private @Nullable R outcome(JournalEntry entry) {
            if (entry.state() == EntryState.FAILED) {
                dev.weft.failure.FailureInfo failure = entry.failure();
                throw new dev.weft.failure.ChildWorkflowFailedException(childId, statusOf(failure), failure);
            }
            return services.serializer().deserialize(entry.result(), resultType);
        }
    }

    private static dev.weft.failure.FailureInfo failureOf(dev.weft.store.RunRecord child) {
        return switch (child.status()) {
            case CANCELLED -> dev.weft.failure.FailureInfo.of(new dev.weft.failure.WorkflowCancelledException(child.id()));
            case TIMED_OUT -> dev.weft.failure.FailureInfo.of(new dev.weft.failure.WorkflowTimeoutException(child.id()));
            default -> child.failure() != null ? child.failure()
                    : dev.weft.failure.FailureInfo.of(new IllegalStateException("child " + child.id() + " failed"));
        };
    }

    private static dev.weft.WorkflowStatus statusOf(dev.weft.failure.FailureInfo failure) {
        if (dev.weft.failure.WorkflowCancelledException.CODE.equals(failure.code())) {
            return dev.weft.WorkflowStatus.CANCELLED;
        }
        if (dev.weft.failure.WorkflowTimeoutException.CODE.equals(failure.code())) {
            return dev.weft.WorkflowStatus.TIMED_OUT;
        }
        return dev.weft.WorkflowStatus.FAILED;
    }

    /**
     * Before the run ends: waits for the children whose policy is to be awaited. Not a journal
     * operation: a replay that reaches the end waits again for whatever has not ended.
     */
    void awaitChildrenThatMustEndFirst() {
        for (ChildRef child : children) {
            if (!dev.weft.workflow.ParentClosePolicy.AWAIT.wireName().equals(child.policy())) {
                continue;
            }
            while (true) {
                CompletableFuture<Void> wake = run.wakeSignal();
                java.util.Optional<dev.weft.store.RunRecord> record = services.store().findRun(child.id());
                if (record.isEmpty() || record.get().status().isTerminal()) {
                    break;
                }
                run.awaitIgnoringCancellation(CompletableFuture.anyOf(wake, CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(1, java.util.concurrent.TimeUnit.SECONDS))));
            }
        }
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

    /** Performs (or replays) one step at a known position; used for plain calls and for branches. */
    @SuppressWarnings("unchecked")
    private <R> @Nullable R perform(long seq, Step<R> step) {
        return switch (step) {
            case Step.ActivityStep<R> activity -> (R) performActivity(seq, activity);
            case Step.SleepStep sleep -> {
                performSleep(seq, sleep.duration(), false);
                yield null;
            }
        };
    }

    private <R> @Nullable R performActivity(long seq, Step.ActivityStep<R> step) {
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.ACTIVITY, step.name());
            if (entry.state().isFinished()) {
                return replayedOutcome(entry, step.resultType());
            }
        }
        ActivityDefinition<?, ?> definition = services.registry().activity(step.name());
        String inputJson = services.serializer().serialize(step.input());
        String resultJson = invoker.invoke(seq, definition, inputJson, step.options(), entry);
        return services.serializer().deserialize(resultJson, step.resultType());
    }

    /** @param mayPark whether the run may be given up during the sleep: not for a branch of a group */
    private void performSleep(long seq, Duration duration, boolean mayPark) {
        JournalEntry entry = run.recorded(seq);
        Instant due;
        if (entry != null) {
            run.expect(entry, EntryKind.SLEEP, SLEEP);
            if (entry.state().isFinished()) {
                return;
            }
            // The timer recorded at the first run, never a second one: a restart does not restart the sleep.
            due = entry.dueAt();
            if (mayPark && run.mayPark(due, openBranches.get())) {
                run.park(List.of(), due, run.wakeSignal());
            }
        } else {
            due = services.time().now().plus(duration);
            JournalEntry waiting = new JournalEntry(seq, EntryKind.SLEEP, SLEEP, EntryState.WAITING, null, null, 0, due,
                    services.time().now());
            if (mayPark && run.mayPark(due, openBranches.get())) {
                run.park(List.of(waiting), due, run.wakeSignal());
            }
            run.commit(waiting);
        }
        CompletableFuture<Void> timer = services.time().timer(due);
        try {
            run.await(timer);
        } finally {
            timer.cancel(false);
        }
        run.commit(new JournalEntry(seq, EntryKind.SLEEP, SLEEP, EntryState.COMPLETED, null, null, 0, null, null));
    }

    private <R> @Nullable R replayedOutcome(JournalEntry entry, Class<R> resultType) {
        if (entry.state() == EntryState.FAILED) {
            throw Failures.toException(entry.name(), entry.failure(), entry.attempt());
        }
        return services.serializer().deserialize(entry.result(), resultType);
    }

    private List<CompletableFuture<Object>> startGroup(String shape, List<? extends Step<?>> steps) {
        long groupSeq = nextSeq();
        JournalEntry group = run.recorded(groupSeq);
        lastSeq += steps.size();
        if (group != null) {
            run.expect(group, EntryKind.GROUP, shape);
        } else {
            run.commit(groupEntry(groupSeq, shape, null));
        }
        return startBranches(groupSeq, steps);
    }

    /** Starts each branch on its own virtual thread, or answers it from the journal when it has finished. */
    private List<CompletableFuture<Object>> startBranches(long groupSeq, List<? extends Step<?>> steps) {
        List<CompletableFuture<Object>> branches = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            long seq = groupSeq + 1 + i;
            Step<?> step = steps.get(i);
            JournalEntry entry = run.recorded(seq);
            if (entry != null && entry.state().isFinished()) {
                branches.add(replayedBranch(seq, step));
                continue;
            }
            CompletableFuture<Object> branch = new CompletableFuture<>();
            openBranches.incrementAndGet();
            Thread.ofVirtual().name("weft-branch-" + run.runId() + "-" + seq).start(() -> {
                try {
                    branch.complete(perform(seq, step));
                } catch (Throwable error) {
                    branch.completeExceptionally(error);
                } finally {
                    openBranches.decrementAndGet();
                }
            });
            branches.add(branch);
        }
        return branches;
    }

    private CompletableFuture<Object> replayedBranch(long seq, Step<?> step) {
        try {
            return CompletableFuture.completedFuture(perform(seq, step));
        } catch (RuntimeException error) {
            return CompletableFuture.failedFuture(error);
        }
    }

    private void settleAll(List<CompletableFuture<Object>> branches) {
        run.await(CompletableFuture.allOf(branches.toArray(CompletableFuture[]::new)).handle((ignored, error) -> null));
    }

    /** A settled branch's value, or its failure thrown. */
    private static @Nullable Object valueOf(CompletableFuture<Object> branch) {
        try {
            return branch.join();
        } catch (CompletionException e) {
            throw RunExecution.propagate(e.getCause() != null ? e.getCause() : e);
        }
    }

    private static BranchResults.Outcome outcomeOf(CompletableFuture<Object> branch) {
        try {
            return new BranchResults.Outcome(valueOf(branch), null);
        } catch (WeftException failure) {
            return new BranchResults.Outcome(null, failure);
        } catch (RuntimeException failure) {
            return new BranchResults.Outcome(null, new WeftException("BRANCH_FAILED", FailureCategory.APPLICATION,
                    failure.getClass().getName() + ": " + failure.getMessage(), failure));
        }
    }

    private static JournalEntry groupEntry(long seq, String shape, @Nullable String winner) {
        return new JournalEntry(seq, EntryKind.GROUP, shape, EntryState.COMPLETED, winner, null, 0, null, null);
    }

    private static JournalEntry valueEntry(long seq, String name, String valueJson) {
        return new JournalEntry(seq, EntryKind.VALUE, name, EntryState.COMPLETED, valueJson, null, 0, null, null);
    }

    private static long seedOf(String runId) {
        long seed = 1125899906842597L;
        for (int i = 0; i < runId.length(); i++) {
            seed = 31 * seed + runId.charAt(i);
        }
        return seed;
    }
}
