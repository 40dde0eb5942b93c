package dev.weft.workflow;

import dev.weft.activity.ActivityOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The durable operations a workflow performs. Each takes the next position in the run's journal;
 * on replay, an operation whose position has a recorded outcome returns it without running again.
 * Call these only from the workflow's own thread, in a deterministic order.
 */
public interface WorkflowContext {

    String workflowId();

    String workflowType();

    /**
     * Calls an activity by name and waits for its result, retrying it by its policy.
     *
     * @throws dev.weft.failure.ActivityFailedException when it failed for good (or a timeout subclass)
     * @throws dev.weft.failure.WorkflowCancelledException when the run is cancelled meanwhile
     */
    <R> @Nullable R run(String activity, @Nullable Object input, Class<R> resultType);

    /** {@link #run(String, Object, Class)} with per-call options over the definition's. */
    <R> @Nullable R run(String activity, @Nullable Object input, Class<R> resultType, ActivityOptions options);

    /** Sleeps durably: the timer survives a restart, and a timer already due at recovery fires at once. */
    void sleep(Duration duration);

    /**
     * Waits for the next signal of that name and returns its payload. Signals are buffered
     * durably until a wait consumes them, each once, in the order they were sent. A long wait
     * gives the run up: it is replayed when the signal arrives.
     */
    <T> @Nullable T awaitSignal(String name, Class<T> payloadType);

    /**
     * Waits up to {@code timeout} for the next signal of that name; empty when the time ran out
     * (the deadline is recorded, so a restart does not extend it). A signal with a {@code null}
     * payload reads as empty too: send a value when the difference matters.
     */
    <T> java.util.Optional<T> awaitSignal(String name, Class<T> payloadType, Duration timeout);

    /**
     * Runs the steps concurrently and waits for all of them; results in input order. When any
     * fails, throws the failure of the first failed step in input order, once all have settled.
     */
    <R> List<@Nullable R> all(List<? extends Step<? extends R>> steps);

    /**
     * Runs the steps concurrently and returns the first to settle (succeed or fail: a failure is
     * thrown). The losers are not cancelled: they run on and their results are discarded. On
     * replay the same winner is returned.
     */
    <R> RaceResult<R> race(List<? extends Step<? extends R>> steps);

    /** Runs named steps concurrently and returns each one's outcome; a failed branch does not fail the others. */
    BranchResults runAll(Map<String, ? extends Step<?>> steps);

    /** The time, recorded at the first run and replayed after. */
    Instant now();

    /**
     * Runs {@code supplier} once and records its value; replay returns the recorded value. For
     * nondeterministic computations, and for shared helper code that calls activities.
     *
     * <p>Inside the callback, an activity call ({@link #run}, {@link #memoActivity}, or a call on an
     * {@code @Activity} bean) is a sub-operation of the memo, identified by the memo's position, its
     * key and the call's ordinal; it takes no journal position. Its retries, timeouts, verifier,
     * heartbeat and events work as for a step. A call with an idempotency key records its result at
     * once, so a crash before the memo's checkpoint replays it without running it again; a call
     * without one runs again then (at least once). Calls must be made one after another on the
     * workflow's thread; {@code completeAsync()} is refused there; any other durable operation
     * (sleep, signals, children, parallel groups, another memo) throws {@link IllegalStateException}.
     */
    <T> @Nullable T memo(String key, Class<T> type, Supplier<? extends @Nullable T> supplier);

    /**
     * Calls an activity from helper code inside a {@link #memo} callback, as a sub-operation of
     * the memo; outside a memo callback it throws {@link IllegalStateException}.
     */
    <R> @Nullable R memoActivity(String activity, @Nullable Object input, Class<R> resultType, ActivityOptions options);

    /** {@link #memoActivity(String, Object, Class, ActivityOptions)} with the definition's options. */
    default <R> @Nullable R memoActivity(String activity, @Nullable Object input, Class<R> resultType) {
        return memoActivity(activity, input, resultType, ActivityOptions.none());
    }

    /**
     * Runs {@code body} as a saga: each activity that completes inside it and names a
     * {@link dev.weft.activity.ActivityOptions#compensation() compensating activity} is recorded
     * with its input and output. When {@code body} throws, the recorded compensations run as
     * durable activities, newest first, and the original exception is thrown again, with the
     * failures of any compensations attached to it as suppressed (the other compensations still
     * run). A step that failed is not compensated, a saga that recorded nothing compensates
     * nothing, and cancellation ({@link dev.weft.failure.WorkflowCancelledException}) compensates
     * nothing, since a cancelled run performs no further steps. A saga that completes hands its
     * compensations to the saga around it, if any.
     *
     * <pre>{@code
     * Receipt receipt = ctx.saga(saga -> {
     *     Reservation reservation = ctx.run("reserve", order, Reservation.class);  // compensation "release"
     *     Payment payment = ctx.run("charge", order, Payment.class);               // compensation "refund"
     *     return ctx.run("ship", order, Receipt.class);
     * });
     * }</pre>
     *
     * @return what {@code body} returns
     */
    <R> @Nullable R saga(java.util.function.Function<? super Saga, ? extends @Nullable R> body);

    /**
     * Starts a child workflow, durably, in the same transaction as the journal entry that records
     * it; a replay finds the same child. Child failures reach the parent as
     * {@link dev.weft.failure.ChildWorkflowFailedException} when it asks for the {@link ChildWorkflow#result()}.
     *
     * @throws dev.weft.failure.ChildWorkflowDepthExceededException when it would nest too deep
     */
    <R> ChildWorkflow<R> startChild(String type, @Nullable Object input, Class<R> resultType, ChildOptions options);

    /** Starts a child workflow with {@link ChildOptions#defaults()} and waits for its result. */
    default <R> @Nullable R runChild(String type, @Nullable Object input, Class<R> resultType) {
        return startChild(type, input, resultType, ChildOptions.defaults()).result();
    }

    /**
     * Registers a read-only query handler: {@code engine.query(id, name, ...)} calls it and returns
     * what it returns. Register handlers early, before the first wait, so they exist when a query
     * comes. Handlers run on the caller's thread: they must only read the workflow's state.
     */
    void onQuery(String name, java.util.function.Supplier<?> handler);

    /** {@link #onQuery(String, java.util.function.Supplier)} for a query that takes an argument. */
    <A> void onQuery(String name, Class<A> argumentType, java.util.function.Function<? super A, ?> handler);

    /** The version {@link #getVersion} returns for runs that passed a change before it was made. */
    int DEFAULT_VERSION = 0;

    /**
     * Pins a branch of the code for the runs in flight while the code changes. A run that reaches
     * this point for the first time records {@code maxSupported} and gets it; a replay returns what
     * was recorded; a run that passed this point before the change existed gets
     * {@link #DEFAULT_VERSION}. A recorded version outside {@code [minSupported, maxSupported]}
     * fails the run with {@link dev.weft.failure.VersionMismatchException}.
     *
     * <pre>{@code
     * if (ctx.getVersion("add-fraud-check", DEFAULT_VERSION, 1) == 1) {
     *     ctx.run("fraudCheck", order, Verdict.class);
     * }
     * }</pre>
     */
    int getVersion(String changeId, int minSupported, int maxSupported);

    /** A random generator seeded from the run id, so replays draw the same numbers. */
    Random random();

    /** A UUID drawn from {@link #random()}. */
    UUID randomUuid();

    /**
     * Whether the workflow is replaying history it recorded before: its code between here and the
     * last operation its journal records ran once already (before a restart, a hand-off or a
     * park). Side effects outside durable operations, such as a log line, happened then too.
     */
    boolean isReplaying();

    /**
     * A logger named {@code name} that stays quiet while the workflow {@link #isReplaying() replays}:
     * a line the workflow wrote once is not written again by each replay. Every level reads as
     * disabled during a replay. Use it on the workflow's own thread (and in its steps' branches).
     */
    Logger logger(String name);

    /** {@link #logger(String)} named after {@code type}, as {@code LoggerFactory.getLogger(type)} names it. */
    Logger logger(Class<?> type);

    /** The context of the workflow running on this thread. */
    static WorkflowContext current() {
        WorkflowContext context = CurrentWorkflow.get();
        if (context == null) {
            throw new IllegalStateException("WorkflowContext.current() called outside a workflow");
        }
        return context;
    }
}
