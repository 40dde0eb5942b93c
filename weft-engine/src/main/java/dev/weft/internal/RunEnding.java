package dev.weft.internal;

import dev.weft.WorkflowStatus;
import dev.weft.event.EngineEvent;
import dev.weft.failure.FailureInfo;
import dev.weft.store.RunOutcome;
import dev.weft.time.TimeSource;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Ends a run durably: waits for the children that must end first, records the outcome, and
 * announces it; in development mode, warns of a run that completed without any durable operation.
 */
final class RunEnding {

    private final RunExecution run;
    private final ReplayContext context;
    private final TimeSource time;
    private final EventBus events;
    /** How development mode's warnings name the workflow; {@code null} outside development mode. */
    private final @Nullable String developmentName;

    RunEnding(RunExecution run, ReplayContext context, TimeSource time, EventBus events, @Nullable String developmentName) {
        this.run = run;
        this.context = context;
        this.time = time;
        this.events = events;
        this.developmentName = developmentName;
    }

    RunEnd.Finished finish(WorkflowStatus status, @Nullable String result, @Nullable FailureInfo failure) {
        context.awaitChildrenThatMustEndFirst();
        Instant now = time.now();
        run.writeEnding(new RunOutcome(status, result, failure, now, run.parentId()));
        String type = run.type();
        events.emit(switch (status) {
            case COMPLETED -> new EngineEvent.WorkflowCompleted(now, run.runId(), type);
            case FAILED -> new EngineEvent.WorkflowFailed(now, run.runId(), type, failure);
            case CANCELLED -> new EngineEvent.WorkflowCancelled(now, run.runId(), type);
            case TIMED_OUT -> new EngineEvent.WorkflowTimedOut(now, run.runId(), type);
            case RUNNING, QUEUED, SUSPENDED -> throw new IllegalStateException("a run cannot finish as " + status);
        });
        if (status == WorkflowStatus.COMPLETED) {
            warnIfNothingWasDurable(now);
        }
        return new RunEnd.Finished(status, result, failure);
    }

    /**
     * A run that completed without one durable operation most likely called its activities around
     * the engine (on {@code this} inside a Spring bean, which no proxy intercepts, or on an object
     * that is not a bean), so a restart would do it all again.
     */
    private void warnIfNothingWasDurable(Instant now) {
        if (developmentName != null && !context.tookAnyPosition()) {
            events.emit(new EngineEvent.DevelopmentWarning(now, run.runId(), "Workflow " + developmentName
                    + " completed without any durable operation: nothing it did was recorded, so a restart would run all of it "
                    + "again. Usually its activities were called on 'this' (a self-invocation, which Spring AOP cannot intercept) "
                    + "or on an object that is not a Spring bean; call them on the activity bean, or through the WorkflowContext"));
        }
    }
}
