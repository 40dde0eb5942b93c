package dev.weft.internal;

import dev.weft.AsyncActivityToken;
import dev.weft.LogCategories;
import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.StoreException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.ClaimedTask;
import dev.weft.store.TaskOutcome;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed task on the calling thread, as a worker: the activity's attempt with its own
 * context, then its outcome written under the claim, and the run woken wherever it is driven.
 */
final class TaskExecution {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ACTIVITIES);

    /**
     * How many claims a task may have before it is failed instead of run: each claim after the
     * first means a worker died or lost the database while running it, so the task itself may be
     * what kills workers. Its attempt fails, and the retry policy decides what comes next.
     */
    static final int MAX_CLAIMS = 5;

    /** Where a committed outcome goes: to the run, in memory if it is driven here, else by a wake-up. */
    @FunctionalInterface
    interface OutcomeReceiver {
        void committed(TaskOutcome outcome);
    }

    private final WorkflowStore store;
    private final Registry registry;
    private final PayloadSerializer serializer;
    private final TimeSource time;
    private final EventBus events;
    private final HeartbeatCache heartbeats;
    private final OutcomeReceiver receiver;
    private final OutcomeWriter writer;
    private final ActivityCall call;

    TaskExecution(WorkflowStore store, Registry registry, PayloadSerializer serializer, TimeSource time, EventBus events,
            HeartbeatCache heartbeats, OutcomeWriter writer, OutcomeReceiver receiver) {
        this.store = store;
        this.registry = registry;
        this.serializer = serializer;
        this.time = time;
        this.events = events;
        this.heartbeats = heartbeats;
        this.receiver = receiver;
        this.writer = writer;
        this.call = new ActivityCall(serializer);
    }

    void run(ClaimedTask task, CancellationSignal signal) {
        write(outcome(task, signal));
    }

    private TaskOutcome outcome(ClaimedTask task, CancellationSignal signal) {
        if (task.claims() > MAX_CLAIMS) {
            return exhausted(task);
        }
        ActivityDefinition<?, ?> definition;
        try {
            definition = registry.activity(task.activity());
        } catch (RuntimeException unknown) {
            return TaskOutcome.failed(task, FailureInfo.of(unknown));
        }
        AttemptContext context = new AttemptContext(task.runId(), task.seq(), task.activity(), task.attempt(), signal,
                heartbeats.takePrevious(task.runId(), task.seq(), task.attempt()), heartbeats, serializer);
        signal.attach(Thread.currentThread());
        events.emit(new EngineEvent.ActivityStarted(time.now(), task.runId(), task.seq(), task.activity(), task.attempt()));
        CompletableFuture<String> result = new CompletableFuture<>();
        call.execute(definition, task.inputJson(), context, result);
        // the signal must not interrupt this thread once the activity is done: the outcome's write follows
        signal.attach(null);
        Thread.interrupted();
        if (!result.isCompletedExceptionally()) {
            return TaskOutcome.completed(task, result.join());
        }
        Throwable error = AttemptRunner.causeOf(result);
        if (error instanceof AsyncCompletionPending) {
            String token = new AsyncActivityToken(task.runId(), task.seq(), task.attempt()).toString();
            events.emit(new EngineEvent.ActivityAsyncPending(time.now(), task.runId(), task.seq(), task.activity(), task.attempt(), token));
            return TaskOutcome.pending(task);
        }
        return TaskOutcome.failed(task, FailureInfo.of(error));
    }

    /** The failed outcome of a task claimed more than {@link #MAX_CLAIMS} times. */
    static TaskOutcome exhausted(ClaimedTask task) {
        return TaskOutcome.failed(task, new FailureInfo("dev.weft.failure.TaskClaimsExhausted", "Task of activity '"
                + task.activity() + "' (step " + task.seq() + ", attempt " + task.attempt() + ") was claimed " + (task.claims() - 1)
                + " times, and each claim expired before its worker wrote an outcome: its workers died or lost the database "
                + "while running it. The attempt fails instead of being claimed again.", FailureCategory.TIMEOUT, null, null));
    }

    /**
     * Writes the outcome, again while the database is away and the claim has not expired: after
     * that, another worker may hold the task, and this outcome is lost as the claim is (the task
     * runs again: at least once).
     */
    private void write(TaskOutcome outcome) {
        ClaimedTask task = outcome.task();
        Duration wait = Duration.ofMillis(100);
        Duration waited = Duration.ZERO;
        while (true) {
            try {
                if (writer.write(outcome)) {
                    heartbeats.forget(task.runId(), task.seq());
                    receiver.committed(outcome);
                } else {
                    LOG.warn("Refused the outcome of activity '{}' (run {}, step {}, attempt {}): its claim is no longer held "
                            + "(it expired and another worker claimed the task, or the run ended or is cancelled)",
                            task.activity(), task.runId(), task.seq(), task.attempt());
                }
                return;
            } catch (StoreException e) {
                waited = waited.plus(wait);
                if (waited.compareTo(task.visibilityTimeout()) > 0) {
                    LOG.warn("Could not write the outcome of activity '{}' (run {}, step {}) before its claim could expire; "
                            + "the task will be claimed and run again", task.activity(), task.runId(), task.seq(), e);
                    return;
                }
                LOG.info("Could not write the outcome of activity '{}' (run {}, step {}); trying again in {} ms",
                        task.activity(), task.runId(), task.seq(), wait.toMillis(), e);
                OutageTimer.after(wait).join();
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : wait.multipliedBy(2);
            }
        }
    }
}
