package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.WorkflowStatus;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.NonDeterministicWorkflowException;
import dev.weft.failure.WeftException;
import dev.weft.failure.WorkflowTimeoutException;
import dev.weft.payload.PayloadSerializer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides how one execution of a run ends once its workflow thread stops: the status the run ends
 * with (a divergence, a timeout and a cancellation come before what the workflow returned or
 * threw), written through {@link RunEnding}; or that the execution was only given up.
 */
final class RunConclusion {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final String runId;
    private final boolean readOnly;
    private final RunWaits waits;
    private final RunEnding ending;
    private final PayloadSerializer serializer;
    private final RejectedCheckpointEnding rejection;
    private final InFlightAttempts inFlight;
    private final Supplier<@Nullable WeftException> fatal;

    /** @param fatal the error that must fail the run whatever its code did with it, or {@code null} */
    RunConclusion(String runId, boolean readOnly, RunWaits waits, RunEnding ending, PayloadSerializer serializer,
            RejectedCheckpointEnding rejection, InFlightAttempts inFlight, Supplier<@Nullable WeftException> fatal) {
        this.runId = runId;
        this.readOnly = readOnly;
        this.waits = waits;
        this.ending = ending;
        this.serializer = serializer;
        this.rejection = rejection;
        this.inFlight = inFlight;
        this.fatal = fatal;
    }

    /** How the run ends once its workflow function returned {@code result} or threw {@code error}. */
    RunEnd of(@Nullable Object result, @Nullable Throwable error) {
        if (readOnly) {
            // A query's replay reached the workflow's end: nothing to write, the handlers are all registered.
            return error instanceof NonDeterministicWorkflowException broken
                    ? new RunEnd.Finished(WorkflowStatus.FAILED, null, FailureInfo.of(broken)) : new RunEnd.Abandoned();
        }
        try {
            WeftException broken = fatal.get();
            if (broken != null) {
                // Even if the workflow code caught it: a run that diverged from its journal must not carry on.
                return ending.finish(WorkflowStatus.FAILED, null, FailureInfo.of(broken));
            }
            if (waits.isTimedOut()) {
                return ending.finish(WorkflowStatus.TIMED_OUT, null, FailureInfo.of(new WorkflowTimeoutException(runId)));
            }
            if (waits.isCancelRequested()) {
                return ending.finish(WorkflowStatus.CANCELLED, null, null);
            }
            if (error != null) {
                return ending.finish(WorkflowStatus.FAILED, null, FailureInfo.of(error));
            }
            return ending.finish(WorkflowStatus.COMPLETED, serializer.serialize(result), null);
        } catch (AbandonRun abandon) {
            return abandonedBy(abandon);
        }
    }

    /** How the run ends when its execution was given up: failed, if the database refused a checkpoint for good, else abandoned. */
    RunEnd abandonedBy(AbandonRun abandon) {
        if (rejection.isDue()) {
            inFlight.stopAndFire("workflow " + runId + " fails: a checkpoint of it was refused by the database");
            return rejection.fail();
        }
        // Every run handed back at a shutdown passes here: one line each only at DEBUG. A lost run was logged as an ERROR already.
        LOG.debug("Stopped driving run {}: {}", runId, abandon.getMessage());
        inFlight.stopAndFire("this engine stopped driving workflow " + runId);
        return new RunEnd.Abandoned();
    }
}
