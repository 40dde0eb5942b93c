package dev.weft.internal;

import dev.weft.AsyncActivityToken;
import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.activity.QueueName;
import dev.weft.event.EngineEvent;
import dev.weft.failure.ActivityFailedException;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.StoreException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.retry.RetryPolicy;
import dev.weft.store.ActivityRecord;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewTask;
import dev.weft.store.WorkflowStore;
import dev.weft.time.StorableTimes;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Runs one activity step of a run to its end: attempt after attempt (each run by the
 * {@link AttemptRunner}), with the retry state checkpointed before every backoff so that a crash
 * neither repeats nor skips an attempt, and an attempt completed asynchronously waited for.
 */
final class ActivityInvoker {


    private final RunExecution run;
    private final RunWakeups wakeups;
    private final WorkflowStore store;
    private final TimeSource time;
    private final EventBus events;
    private final HeartbeatCache heartbeats;
    private final RetryPolicy defaultRetryPolicy;
    private final AttemptRunner attempts;
    private final PayloadSerializer serializer;
    private final Checkpointer checkpointer;
    /** The reconciliation records this execution wrote, shared with the activities called inside memos. */
    private final Set<String> recordsWrittenHere = ConcurrentHashMap.newKeySet();

    ActivityInvoker(RunExecution run, WorkflowStore store, Checkpointer checkpointer, PayloadSerializer serializer, TimeSource time,
            EventBus events, HeartbeatCache heartbeats, EngineSettings settings) {
        this.run = run;
        this.wakeups = run.wakeups();
        this.store = store;
        this.time = time;
        this.events = events;
        this.heartbeats = heartbeats;
        this.defaultRetryPolicy = settings.defaultRetryPolicy();
        this.serializer = serializer;
        this.checkpointer = checkpointer;
        this.attempts = new AttemptRunner(run, serializer, time, events, heartbeats, settings.developmentMode());
    }

    /**
     * Performs the step at {@code seq}, continuing from its recorded retry state if it has one,
     * and returns its result JSON.
     *
     * @throws ActivityFailedException (or a timeout subclass) when it fails for good
     */
    String invoke(long seq, ActivityDefinition<?, ?> definition, String inputJson, ActivityOptions callOptions,
            @Nullable JournalEntry waiting) {
        run.throwIfReadOnly();
        ActivityOptions options = definition.options().overriddenBy(callOptions);
        RetryPolicy policy = options.retry().applyTo(defaultRetryPolicy);
        String name = definition.name();
        int attempt = waiting == null ? 1 : waiting.attempt();
        Instant scheduledAt = waiting == null || waiting.scheduledAt() == null ? time.now() : waiting.scheduledAt();
        Instant due = null;
        // A step taken up again continues where its journal entry stands.
        AttemptOutcome resumed = null;
        if (waiting != null) {
            switch (waiting.state()) {
                case WAITING -> due = waiting.dueAt();
                // a queued attempt is resolved by the worker that claims it, as a pending one by its token
                case PENDING, QUEUED -> resumed = awaitAsyncOutcome(seq, attempt);
                case ATTEMPT_FAILED -> resumed = new AttemptOutcome.Failed(waiting.failure());
                default -> throw new IllegalStateException("step " + seq + " of run " + run.runId() + " has finished");
            }
        }
        Optional<KeyedStep> keyed = KeyedStep.of(run, store, checkpointer, serializer, definition, seq, options.idempotencyKey().orElse(null), inputJson,
                recordsWrittenHere);
        // the record is read once, before the step's first dispatch here; after that this process knows every outcome
        boolean recordUnread = keyed.isPresent();
        while (true) {
            Instant started = time.now();
            AttemptOutcome outcome;
            // a keyed attempt's completed record, committed with the step's entry
            ActivityRecord completes = null;
            if (resumed != null) {
                outcome = resumed;
                resumed = null;
            } else {
                if (due != null) {
                    waitUntil(due);
                }
                run.throwIfCancelled();
                started = time.now();
                KeyedStep.Next next = recordUnread ? keyed.get().before(attempt) : new KeyedStep.Next.Dispatch(attempt);
                recordUnread = false;
                switch (next) {
                    case KeyedStep.Next.FailClosed closed -> throw failFinally(seq, name, closed.failure(), closed.attempt(), scheduledAt);
                    case KeyedStep.Next.Completed recorded -> {
                        attempt = recorded.attempt();
                        outcome = new AttemptOutcome.Succeeded(recorded.resultJson(), false);
                    }
                    case KeyedStep.Next.Dispatch dispatch -> {
                        attempt = dispatch.attempt();
                        if (keyed.isPresent() && !dispatch.recorded()) {
                            keyed.get().dispatching(attempt);
                        }
                        AttemptOutcome ran = options.queue().isPresent()
                                ? enqueue(seq, definition, inputJson, attempt, options, scheduledAt)
                                : runInline(seq, definition, inputJson, attempt, options);
                        outcome = keyed.isPresent() ? keyed.get().settle(attempt, ran) : ran;
                        if (keyed.isPresent() && outcome instanceof AttemptOutcome.Succeeded succeeded) {
                            completes = keyed.get().completedRecord(attempt, succeeded.resultJson());
                        }
                        if (outcome instanceof AttemptOutcome.Pending) {
                            outcome = park(seq, name, attempt, scheduledAt);
                        }
                    }
                }
            }
            Instant ended = time.now();
            switch (outcome) {
                case AttemptOutcome.Succeeded succeeded -> {
                    if (!succeeded.durable()) {
                        JournalEntry completed = JournalEntry.activityCompleted(seq, name, succeeded.resultJson(), attempt, scheduledAt);
                        if (completes == null) {
                            run.commit(completed);
                        } else {
                            // its record makes the wait safe: a crash before the next write asks the verifier
                            run.commitWithNextWrite(completed, completes);
                        }
                    } else if (completes != null) {
                        // the worker that ran a queued step wrote its entry; the record is the run's to complete
                        run.commitWithNextWrite(null, completes);
                    }
                    heartbeats.forget(run.runId(), seq);
                    events.emit(new EngineEvent.ActivityCompleted(ended, run.runId(), seq, name, attempt,
                            Duration.between(started, ended)));
                    return succeeded.resultJson();
                }
                case AttemptOutcome.Failed failed -> {
                    FailureInfo failure = failed.failure();
                    Instant next = switch (RetryDecision.after(name, policy, options, attempt, failure, ended, scheduledAt)) {
                        case RetryDecision.GiveUp giveUp -> throw failFinally(seq, name, giveUp.failure(), attempt, scheduledAt);
                        case RetryDecision.Retry retry -> retry.at();
                    };
                    run.commit(JournalEntry.activityRetrying(seq, name, failure, attempt + 1, next, scheduledAt));
                    events.emit(new EngineEvent.ActivityRetrying(ended, run.runId(), seq, name, attempt, failure, next));
                    attempt++;
                    due = next;
                }
                case AttemptOutcome.Pending pending -> throw new IllegalStateException("a parked attempt has no outcome yet");
            }
        }
    }

    /** Runs the attempt on this thread, once every earlier step's outcome is written. */
    private AttemptOutcome runInline(long seq, ActivityDefinition<?, ?> definition, String inputJson, int attempt,
            ActivityOptions options) {
        run.writeHeldBack();
        return attempts.run(seq, definition, inputJson, attempt, options.timeout());
    }

    /**
     * A queued keyed step with a verifier, found completed in the journal as a run is replayed: its
     * entry was written by the worker that ran it, before the run's verifier had its say, so the
     * verifier decides now if the run never recorded its answer (see {@link KeyedStep#verifyReplayed}).
     *
     * @return the entry to go on from: empty when the recorded result stands, else the attempt
     *     failed by the verifier, which the retry policy then decides on as for any failed attempt
     */
    Optional<JournalEntry> reverified(long seq, ActivityDefinition<?, ?> definition, String inputJson, ActivityOptions callOptions,
            JournalEntry completed) {
        ActivityOptions options = definition.options().overriddenBy(callOptions);
        if (run.isReadOnly() || options.queue().isEmpty() || definition.verifier() == null) {
            return Optional.empty();
        }
        Optional<KeyedStep> keyed = KeyedStep.of(run, store, checkpointer, serializer, definition, seq,
                options.idempotencyKey().orElse(null), inputJson, recordsWrittenHere);
        return keyed.flatMap(step -> step.verifyReplayed(completed.attempt(), completed.result()))
                .map(failure -> new JournalEntry(seq, EntryKind.ACTIVITY, definition.name(), EntryState.ATTEMPT_FAILED, null, failure,
                        completed.attempt(), null, completed.scheduledAt()));
    }

    /**
     * Puts the attempt on its queue (the step's queued entry and the task row in one checkpoint) and
     * waits for the outcome the claiming worker writes, on whichever node it runs.
     */
    private AttemptOutcome enqueue(long seq, ActivityDefinition<?, ?> definition, String inputJson, int attempt,
            ActivityOptions options, Instant scheduledAt) {
        String queue = options.queue().orElseThrow();
        NewTask task = new NewTask(run.runId(), seq, attempt, queue, definition.name(), inputJson, options.priority().orElse(0),
                options.fairnessKey().orElse(null), options.visibilityTimeout().orElse(QueueName.DEFAULT_VISIBILITY_TIMEOUT),
                time.now());
        // taken before the task can be claimed: the outcome's wake-up, even if it comes at once, completes it
        CompletableFuture<Void> wake = wakeups.signal();
        run.commitEnqueuing(JournalEntry.activityQueued(seq, definition.name(), attempt, scheduledAt), task);
        return awaitAsyncOutcome(seq, attempt, wake);
    }

    /** Records the attempt as waiting for its token, announces the token, and waits for the outcome it brings. */
    private AttemptOutcome park(long seq, String name, int attempt, Instant scheduledAt) {
        run.commit(JournalEntry.activityPending(seq, name, attempt, scheduledAt));
        String token = new AsyncActivityToken(run.runId(), seq, attempt).toString();
        events.emit(new EngineEvent.ActivityAsyncPending(time.now(), run.runId(), seq, name, attempt, token));
        return awaitAsyncOutcome(seq, attempt);
    }

    /**
     * Waits until the step's pending (or queued) attempt is resolved in the journal. The wake-up is taken
     * before the entry is read, so a completion that lands between the two is never missed.
     */
    private AttemptOutcome awaitAsyncOutcome(long seq, int attempt) {
        return awaitAsyncOutcome(seq, attempt, null);
    }

    /**
     * As {@link #awaitAsyncOutcome(long, int)}; with {@code enqueuedAfter}, the wake signal taken
     * before the attempt was just enqueued, the first look at the journal is skipped (nobody can have
     * resolved the attempt without completing that signal).
     */
    private AttemptOutcome awaitAsyncOutcome(long seq, int attempt, @Nullable CompletableFuture<Void> enqueuedAfter) {
        CompletableFuture<Void> unread = enqueuedAfter;
        while (true) {
            CompletableFuture<Void> wake = unread != null ? unread : wakeups.signal();
            Optional<AttemptOutcome> handedOver = wakeups.delivered().take(seq, attempt);
            if (handedOver.isPresent()) {
                return handedOver.get();
            }
            if (unread != null) {
                unread = null;
                run.await(wake);
                continue;
            }
            Optional<JournalEntry> entry;
            try {
                entry = store.findJournalEntry(run.runId(), seq);
            } catch (StoreException e) {
                // The database is away: look again after a while (real time, not the engine's clock) or on a wake.
                OutageTimer.awaitReadRetry(run, wake);
                continue;
            }
            if (entry.isPresent() && entry.get().attempt() == attempt) {
                JournalEntry resolved = entry.get();
                if (resolved.state() == EntryState.COMPLETED) {
                    return new AttemptOutcome.Succeeded(resolved.result(), true);
                }
                if (resolved.state() == EntryState.ATTEMPT_FAILED) {
                    return new AttemptOutcome.Failed(resolved.failure());
                }
            }
            run.await(wake);
        }
    }

    private RuntimeException failFinally(long seq, String name, FailureInfo failure, int attempt, Instant scheduledAt) {
        run.commit(JournalEntry.activityFailed(seq, name, failure, attempt, scheduledAt));
        heartbeats.forget(run.runId(), seq);
        events.emit(new EngineEvent.ActivityFailed(time.now(), run.runId(), seq, name, attempt, failure));
        return Failures.toException(name, failure, attempt);
    }

    /** The reconciliation records this execution wrote (see {@link KeyedStep#of}). */
    Set<String> recordsWrittenHere() {
        return recordsWrittenHere;
    }

    void waitUntil(Instant due) {
        CompletableFuture<Void> timer = time.timer(due);
        try {
            run.await(timer);
        } finally {
            timer.cancel(false);
        }
    }
}
