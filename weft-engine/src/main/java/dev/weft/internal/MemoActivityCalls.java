package dev.weft.internal;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.event.EngineEvent;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.NonRetryableException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.retry.RetryPolicy;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Activities called inside a {@code memo} callback, by the workflow or by helper code it calls:
 * sub-operations of the memo, with no journal position of their own, since a replay that finds
 * the memo recorded never runs its callback. Each call is identified by the memo's position, its
 * key and its ordinal. Retries wait in memory. A keyed call keeps its reconciliation record, so a
 * crash before the memo's checkpoint replays its result without a dispatch; an unkeyed call is at
 * least once, as the memo's own code is.
 */
final class MemoActivityCalls {

    /** The memo whose callback runs now, and how many activity calls it made so far. */
    static final class Scope {

        private final long seq;
        private final String key;
        private final Thread owner = Thread.currentThread();
        private int calls;

        Scope(long seq, String key) {
            this.seq = seq;
            this.key = key;
        }

        long seq() {
            return seq;
        }

        /** The identity of the next call: {@code memo:<position>:<key>:call:<ordinal>}. */
        String nextCall() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("An activity called inside memo '" + key + "' must be called on the workflow's "
                        + "thread, one call after another: calls from other threads cannot be replayed in order");
            }
            calls++;
            return "memo:" + seq + ":" + key + ":call:" + calls;
        }
    }

    private final RunExecution run;
    private final WorkflowStore store;
    private final Checkpointer checkpointer;
    private final PayloadSerializer serializer;
    private final TimeSource time;
    private final EventBus events;
    private final RetryPolicy defaultRetryPolicy;
    private final AttemptRunner attempts;
    private final ActivityInvoker invoker;

    MemoActivityCalls(RunExecution run, RunEnvironment environment, ActivityInvoker invoker) {
        this.run = run;
        this.store = environment.store();
        this.checkpointer = environment.checkpointer();
        this.serializer = environment.serializer();
        this.time = environment.time();
        this.events = environment.events();
        this.defaultRetryPolicy = environment.settings().defaultRetryPolicy();
        this.attempts = new AttemptRunner(run, serializer, time, events, environment.heartbeats(), environment.settings().developmentMode());
        this.invoker = invoker;
    }

    /**
     * Runs the activity to its end within the memo and returns its result JSON.
     *
     * @throws dev.weft.failure.ActivityFailedException when it fails for good, as a step would
     */
    String call(Scope scope, ActivityDefinition<?, ?> definition, String inputJson, ActivityOptions callOptions) {
        run.throwIfReadOnly();
        String call = scope.nextCall();
        ActivityOptions options = definition.options().overriddenBy(callOptions);
        RetryPolicy policy = options.retry().applyTo(defaultRetryPolicy);
        String name = definition.name();
        long seq = scope.seq();
        Instant scheduledAt = time.now();
        Optional<KeyedStep> keyed = KeyedStep.of(run, store, checkpointer, serializer, definition, seq,
                options.idempotencyKey().orElse(null), inputJson, invoker.recordsWrittenHere());
        // before the record is read: the read may write the started record, which promises a dispatch
        run.throwIfCancelled();
        KeyedStep.Next next = keyed.isPresent() ? keyed.get().before(1) : new KeyedStep.Next.Dispatch(1);
        while (true) {
            run.throwIfCancelled();
            Instant started = time.now();
            int attempt;
            AttemptOutcome outcome;
            switch (next) {
                case KeyedStep.Next.FailClosed closed -> throw fail(seq, name, closed.failure(), closed.attempt());
                case KeyedStep.Next.Completed recorded -> {
                    return recorded.resultJson();
                }
                case KeyedStep.Next.Dispatch dispatch -> {
                    attempt = dispatch.attempt();
                    if (keyed.isPresent() && !dispatch.recorded()) {
                        keyed.get().dispatching(attempt);
                    }
                    AttemptOutcome ran = refuseAsync(call, name, attempts.run(seq, definition, inputJson, attempt, options.timeout()));
                    outcome = keyed.isPresent() ? keyed.get().settle(attempt, ran) : ran;
                    if (keyed.isPresent() && outcome instanceof AttemptOutcome.Succeeded succeeded) {
                        // no checkpoint of its own to carry it: a crash before the memo's replays the result
                        keyed.get().completed(attempt, succeeded.resultJson());
                    }
                }
            }
            Instant ended = time.now();
            switch (outcome) {
                case AttemptOutcome.Succeeded succeeded -> {
                    events.emit(new EngineEvent.ActivityCompleted(ended, run.runId(), seq, name, attempt, Duration.between(started, ended)));
                    return succeeded.resultJson();
                }
                case AttemptOutcome.Failed failed -> {
                    switch (RetryDecision.after(name, policy, options, attempt, failed.failure(), ended, scheduledAt)) {
                        case RetryDecision.GiveUp giveUp -> throw fail(seq, name, giveUp.failure(), attempt);
                        case RetryDecision.Retry retry -> {
                            events.emit(new EngineEvent.ActivityRetrying(ended, run.runId(), seq, name, attempt, failed.failure(), retry.at()));
                            invoker.waitUntil(retry.at());
                            next = new KeyedStep.Next.Dispatch(attempt + 1);
                        }
                    }
                }
                case AttemptOutcome.Pending pending -> throw new IllegalStateException("a refused async completion has an outcome");
            }
        }
    }

    /** An attempt that handed its completion to someone else: not possible here, where no journal entry waits for it. */
    private static AttemptOutcome refuseAsync(String call, String name, AttemptOutcome outcome) {
        if (outcome instanceof AttemptOutcome.Pending) {
            return new AttemptOutcome.Failed(FailureInfo.of(new NonRetryableException("Activity '" + name + "' called completeAsync() "
                    + "inside a memo callback (" + call + "), where no step waits for its token; call it with ctx.run outside the memo")));
        }
        return outcome;
    }

    private RuntimeException fail(long seq, String name, FailureInfo failure, int attempt) {
        events.emit(new EngineEvent.ActivityFailed(time.now(), run.runId(), seq, name, attempt, failure));
        return Failures.toException(name, failure, attempt);
    }
}
