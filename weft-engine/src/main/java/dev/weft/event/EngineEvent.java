package dev.weft.event;

import dev.weft.failure.FailureInfo;
import java.time.Duration;
import java.time.Instant;

/** Something that happened in the engine. Events are delivered after the fact and carry no live objects. */
public sealed interface EngineEvent {

    /** When it happened, by the engine's time source. */
    Instant at();

    /** The run it concerns. */
    String workflowId();

    /** A run was started (not emitted again when it is recovered). */
    record WorkflowStarted(Instant at, String workflowId, String workflowType) implements EngineEvent {
    }

    /**
     * A run that was interrupted was taken up by this engine: its own run from before a restart, a
     * run adopted from a node whose lease lapsed, a run another node handed back when it stopped,
     * or a run resumed on request. Not emitted when a parked run wakes up: see {@link WorkflowWoken}.
     */
    record WorkflowRecovered(Instant at, String workflowId, String workflowType, long epoch) implements EngineEvent {
    }

    /**
     * A parked run (one that gave up its thread during a long wait) was taken up again to go on.
     * Nothing was interrupted: the run replays its journal to where it parked.
     */
    record WorkflowWoken(Instant at, String workflowId, String workflowType, long epoch, WakeReason reason) implements EngineEvent {
    }

    /** Why a parked run was taken up again. */
    enum WakeReason {

        /** Its wait ended: a sleep, a signal timeout or a retry backoff came due. */
        TIMER,

        /** Something it may wait for happened: a signal, a cancellation, a child's or an async activity's completion. */
        REQUEST,

        /** An engine starting up took up every parked run of its workflow types; each parks again if it still waits. */
        ENGINE_START;

        /** The lower-case name used in metric tags and logs. */
        public String tagValue() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    record WorkflowCompleted(Instant at, String workflowId, String workflowType) implements EngineEvent {
    }

    record WorkflowFailed(Instant at, String workflowId, String workflowType, FailureInfo failure) implements EngineEvent {
    }

    record WorkflowCancelled(Instant at, String workflowId, String workflowType) implements EngineEvent {
    }

    /** A run was suspended by an operator. */
    record WorkflowSuspended(Instant at, String workflowId) implements EngineEvent {
    }

    /** A run ran past its execution timeout. */
    record WorkflowTimedOut(Instant at, String workflowId, String workflowType) implements EngineEvent {
    }

    /** An attempt of an activity began. */
    record ActivityStarted(Instant at, String workflowId, long seq, String activityName, int attempt) implements EngineEvent {
    }

    record ActivityCompleted(Instant at, String workflowId, long seq, String activityName, int attempt, Duration duration)
            implements EngineEvent {
    }

    /** An activity failed for good: no attempt will follow. */
    record ActivityFailed(Instant at, String workflowId, long seq, String activityName, int attempt, FailureInfo failure)
            implements EngineEvent {
    }

    /** An attempt failed and the next one is scheduled after a backoff. */
    record ActivityRetrying(
            Instant at, String workflowId, long seq, String activityName, int failedAttempt, FailureInfo failure, Instant nextAttemptAt)
            implements EngineEvent {
    }

    /** An attempt handed its completion to someone else; {@code token} completes or fails it. */
    record ActivityAsyncPending(Instant at, String workflowId, long seq, String activityName, int attempt, String token)
            implements EngineEvent {
    }

    /** In development mode, a hint that something will not behave as the code seems to expect. */
    record DevelopmentWarning(Instant at, String workflowId, String message) implements EngineEvent {
    }
}
