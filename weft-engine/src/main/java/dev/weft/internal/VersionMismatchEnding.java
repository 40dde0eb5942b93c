package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.WorkflowStatus;
import dev.weft.event.EngineEvent;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.VersionMismatchException;
import dev.weft.store.Checkpoint;
import dev.weft.store.RunClaim;
import dev.weft.store.RunOutcome;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a claimed run that was written by another version of its workflow than this engine has,
 * and that the code does not say it can continue: replaying it could take another path. Should
 * the failure not be writable, the run is left as it is, with a warning, for the next claim.
 */
final class VersionMismatchEnding {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final RunEnvironment services;

    VersionMismatchEnding(RunEnvironment services) {
        this.services = services;
    }

    /** Whether a run of {@code runVersion} is one that {@code definition} cannot replay. */
    static boolean mismatches(WorkflowDefinition<?, ?> definition, int runVersion) {
        return runVersion != definition.version() && !definition.continuesVersions().contains(runVersion);
    }

    /** Ends the run of {@code claim}, of version {@code runVersion}, {@code FAILED}. */
    void fail(RunClaim claim, WorkflowDefinition<?, ?> definition, int runVersion) {
        VersionMismatchException mismatch = new VersionMismatchException("Workflow '" + claim.runId() + "' (" + claim.type()
                + ") was started by version " + runVersion + " of its definition, and this engine has version "
                + definition.version() + ", which does not declare that it continues version " + runVersion);
        FailureInfo failure = FailureInfo.of(mismatch);
        Instant now = services.time().now();
        try {
            services.store().commit(Checkpoint.ending(claim.runId(), claim.epoch(),
                    new RunOutcome(WorkflowStatus.FAILED, null, failure, now))).join();
            services.events().emit(new EngineEvent.WorkflowFailed(now, claim.runId(), claim.type(), failure));
        } catch (CompletionException e) {
            LOG.warn("Could not fail run {} for its version", claim.runId(), e.getCause());
        }
    }
}
