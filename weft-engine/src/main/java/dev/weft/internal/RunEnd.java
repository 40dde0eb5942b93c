package dev.weft.internal;

import dev.weft.FailureInfo;
import dev.weft.WorkflowStatus;
import org.jspecify.annotations.Nullable;

/** How an execution of a run in this process ended. */
public sealed interface RunEnd {

    /** The run reached a terminal status, durably. */
    record Finished(WorkflowStatus status, @Nullable String result, @Nullable FailureInfo failure) implements RunEnd {
    }

    /** This process stopped driving the run (lost it, or shut down); its outcome lies with another execution. */
    record Abandoned() implements RunEnd {
    }
}
