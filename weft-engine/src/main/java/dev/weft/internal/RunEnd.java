package dev.weft.internal;

import dev.weft.failure.FailureInfo;
import dev.weft.WorkflowStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** How an execution of a run in this process ended. */
sealed interface RunEnd {

    /** The run reached a terminal status, durably. */
    record Finished(WorkflowStatus status, @Nullable String result, @Nullable FailureInfo failure) implements RunEnd {
    }

    /**
     * The run waits for a time or a signal and was given up to save memory: it is taken up again,
     * by replay, at {@code wakeAt} or when a signal arrives.
     */
    record Parked(Instant wakeAt) implements RunEnd {
    }

    /** This process stopped driving the run (lost it, or shut down); its outcome lies with another execution. */
    record Abandoned() implements RunEnd {
    }
}
