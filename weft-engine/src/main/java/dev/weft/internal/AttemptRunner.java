package dev.weft.internal;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityFunction;
import dev.weft.activity.CurrentActivity;
import dev.weft.event.EngineEvent;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.NonRetryableException;
import dev.weft.failure.PayloadException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Runs one attempt of an activity on its own virtual thread, under its per-attempt timeout, with
 * a cancellation signal the run fires when it is stopped.
 */
final class AttemptRunner {

    private final RunExecution run;
    private final PayloadSerializer serializer;
    private final TimeSource time;
    private final EventBus events;
    private final HeartbeatCache heartbeats;
    private final boolean developmentMode;
    private final ActivityCall call;

    AttemptRunner(RunExecution run, PayloadSerializer serializer, TimeSource time, EventBus events, HeartbeatCache heartbeats,
            boolean developmentMode) {
        this.run = run;
        this.serializer = serializer;
        this.time = time;
        this.events = events;
        this.heartbeats = heartbeats;
        this.developmentMode = developmentMode;
        this.call = new ActivityCall(serializer);
    }

    /**
     * Runs attempt {@code attempt} of the step at {@code seq} and returns how it ended. Throws
     * instead when the run is cancelled or abandoned meanwhile: that is no failure of the attempt.
     */
    AttemptOutcome run(long seq, ActivityDefinition<?, ?> definition, String inputJson, int attempt,
            Optional<Duration> timeout) {
        String name = definition.name();
        CancellationSignal signal = new CancellationSignal();
        Optional<Object> previousHeartbeat = heartbeats.takePrevious(run.runId(), seq, attempt);
        if (attempt > 1 && previousHeartbeat.isEmpty() && developmentMode) {
            events.emit(new EngineEvent.DevelopmentWarning(time.now(), run.runId(),
                    "Attempt " + attempt + " of activity '" + name + "' (position " + seq + ") has no lastHeartbeatDetails: "
                            + "either attempt " + (attempt - 1) + " recorded none, or it ran in a process that has since "
                            + "restarted. Heartbeat details live in memory only; persist your own checkpoint to resume "
                            + "across restarts."));
        }
        AttemptContext context = new AttemptContext(run.runId(), seq, name, attempt, signal, previousHeartbeat,
                heartbeats, serializer);
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("weft-activity-" + name + "-" + run.runId())
                .unstarted(() -> call.execute(definition, inputJson, context, result));
        signal.attach(thread);
        run.track(signal);
        events.emit(new EngineEvent.ActivityStarted(time.now(), run.runId(), seq, name, attempt));
        CompletableFuture<Void> deadline = timeout.map(cap -> time.timer(time.now().plus(cap))).orElse(null);
        try {
            thread.start();
            // The activity's own failure is read below from the result future; await throws only
            // when the run is cancelled or abandoned first.
            CompletableFuture<?> first = deadline == null ? result : CompletableFuture.anyOf(result, deadline);
            run.await(first.handle((ignored, error) -> null));
            // An attempt that ended because the run was stopped meanwhile is not an attempt's failure.
            run.throwIfCancelled();
            if (result.isDone()) {
                if (!result.isCompletedExceptionally()) {
                    return new AttemptOutcome.Succeeded(result.join(), false);
                }
                Throwable error = causeOf(result);
                return error instanceof AsyncCompletionPending ? new AttemptOutcome.Pending()
                        : new AttemptOutcome.Failed(FailureInfo.of(error));
            }
            signal.fire("attempt " + attempt + " exceeded its timeout of " + timeout.orElseThrow());
            return new AttemptOutcome.Failed(Failures.perAttemptTimeout(name, attempt, timeout.orElseThrow()));
        } finally {
            if (deadline != null) {
                // Only when there is a timer: cancelling a future builds an exception with a stack trace.
                deadline.cancel(false);
            }
            if (!result.isDone()) {
                // Unwinding because the run was cancelled or abandoned: fire the signal here, before it is
                // untracked, since the run's own sweep of its in-flight signals may come after this.
                signal.fire(run.isCancelRequested() ? "workflow " + run.runId() + " was cancelled"
                        : "this engine stopped driving workflow " + run.runId());
            }
            run.untrack(signal);
        }
    }

    static Throwable causeOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            throw new IllegalStateException("future did not fail");
        } catch (CompletionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (CancellationException e) {
            return e;
        }
    }
}
