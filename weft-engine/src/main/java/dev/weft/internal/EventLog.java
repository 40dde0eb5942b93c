package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.event.EngineEvent;
import dev.weft.event.EngineEvent.ActivityAsyncPending;
import dev.weft.event.EngineEvent.ActivityCompleted;
import dev.weft.event.EngineEvent.ActivityFailed;
import dev.weft.event.EngineEvent.ActivityRetrying;
import dev.weft.event.EngineEvent.ActivityStarted;
import dev.weft.event.EngineEvent.DevelopmentWarning;
import dev.weft.event.EngineEvent.WorkflowCancelled;
import dev.weft.event.EngineEvent.WorkflowCompleted;
import dev.weft.event.EngineEvent.WorkflowFailed;
import dev.weft.event.EngineEvent.WorkflowRecovered;
import dev.weft.event.EngineEvent.WorkflowStarted;
import dev.weft.event.EngineEvent.WorkflowSuspended;
import dev.weft.event.EngineEvent.WorkflowTimedOut;
import dev.weft.event.EngineEvent.WorkflowWoken;
import dev.weft.event.EngineListener;
import dev.weft.failure.FailureInfo;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes engine events to the log under {@link LogCategories}: a run that failed, timed out or was
 * cancelled as a WARN with its error, a retry as an INFO with its attempt and backoff, a
 * development-mode warning as a WARN, and the rest at DEBUG. Every engine has one, first among its
 * listeners.
 */
final class EventLog implements EngineListener {

    private static final Logger ENGINE = LoggerFactory.getLogger(LogCategories.ENGINE);
    private static final Logger RUNS = LoggerFactory.getLogger(LogCategories.RUNS);
    private static final Logger ACTIVITIES = LoggerFactory.getLogger(LogCategories.ACTIVITIES);

    @Override
    public void onEvent(EngineEvent event) {
        switch (event) {
            case WorkflowFailed e -> RUNS.warn("Run {} ({}) failed: {}", e.workflowId(), e.workflowType(), describe(e.failure(), true));
            case WorkflowTimedOut e -> RUNS.warn("Run {} ({}) ran past its execution timeout and ended timed out", e.workflowId(),
                    e.workflowType());
            case WorkflowCancelled e -> RUNS.warn("Run {} ({}) was cancelled", e.workflowId(), e.workflowType());
            case WorkflowSuspended e -> RUNS.info("Run {} was suspended; it stays parked until it is resumed", e.workflowId());
            case ActivityRetrying e -> ACTIVITIES.info("Activity {} (position {}) of run {} failed on attempt {}: {}; attempt {} in {}",
                    e.activityName(), e.seq(), e.workflowId(), e.failedAttempt(), describe(e.failure(), false), e.failedAttempt() + 1,
                    Duration.between(e.at(), e.nextAttemptAt()));
            case ActivityFailed e -> ACTIVITIES.info("Activity {} (position {}) of run {} failed for good on attempt {}: {}",
                    e.activityName(), e.seq(), e.workflowId(), e.attempt(), describe(e.failure(), false));
            case DevelopmentWarning e -> ENGINE.warn("Development mode, run {}: {}", e.workflowId(), e.message());
            case WorkflowStarted e -> {
                if (RUNS.isDebugEnabled()) {
                    RUNS.debug("Run {} ({}) started", e.workflowId(), e.workflowType());
                }
            }
            case WorkflowCompleted e -> {
                if (RUNS.isDebugEnabled()) {
                    RUNS.debug("Run {} ({}) completed", e.workflowId(), e.workflowType());
                }
            }
            case WorkflowRecovered e -> {
                if (RUNS.isDebugEnabled()) {
                    RUNS.debug("Run {} ({}) recovered under epoch {}; replaying its journal", e.workflowId(), e.workflowType(), e.epoch());
                }
            }
            case WorkflowWoken e -> {
                if (RUNS.isDebugEnabled()) {
                    RUNS.debug("Parked run {} ({}) woken ({}) under epoch {}", e.workflowId(), e.workflowType(), e.reason().tagValue(),
                            e.epoch());
                }
            }
            case ActivityStarted e -> {
                if (ACTIVITIES.isDebugEnabled()) {
                    ACTIVITIES.debug("Activity {} (position {}) of run {}: attempt {} started", e.activityName(), e.seq(), e.workflowId(),
                            e.attempt());
                }
            }
            case ActivityCompleted e -> {
                if (ACTIVITIES.isDebugEnabled()) {
                    ACTIVITIES.debug("Activity {} (position {}) of run {}: attempt {} completed in {}", e.activityName(), e.seq(),
                            e.workflowId(), e.attempt(), e.duration());
                }
            }
            case ActivityAsyncPending e -> {
                if (ACTIVITIES.isDebugEnabled()) {
                    ACTIVITIES.debug("Activity {} (position {}) of run {}: attempt {} waits for its completion from outside",
                            e.activityName(), e.seq(), e.workflowId(), e.attempt());
                }
            }
        }
    }

    /** The failure's type and message, and its recorded stack trace when {@code withTrace} (a run's end, said once). */
    private static String describe(FailureInfo failure, boolean withTrace) {
        String line = failure.message().isEmpty() ? failure.type() : failure.type() + ": " + failure.message();
        return withTrace && failure.stackTrace() != null ? line + System.lineSeparator() + failure.stackTrace() : line;
    }

    @Override
    public String toString() {
        return "the engine's event log";
    }
}
