package dev.weft.internal;

import dev.weft.WorkflowStatus;
import dev.weft.event.EngineEvent;
import dev.weft.failure.FailureInfo;
import dev.weft.store.RunOutcome;
import dev.weft.time.TimeSource;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Ends a run durably: waits for the children that must end first, records the outcome, and announces it. */
final class RunEnding {

    private final RunExecution run;
    private final ReplayContext context;
    private final TimeSource time;
    private final EventBus events;

    RunEnding(RunExecution run, ReplayContext context, TimeSource time, EventBus events) {
        this.run = run;
        this.context = context;
        this.time = time;
        this.events = events;
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
            case RUNNING, SUSPENDED -> throw new IllegalStateException("a run cannot finish as " + status);
        });
        return new RunEnd.Finished(status, result, failure);
    }
}
