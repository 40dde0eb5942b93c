package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.WorkflowStatus;
import dev.weft.event.EngineEvent;
import dev.weft.failure.CheckpointRejectedException;
import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.store.Checkpoint;
import dev.weft.store.RunOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a run whose checkpoint the database refused for good, instead of trying the checkpoint
 * for ever while the run sits {@code running} and every adoption repeats its last step. The run
 * ends {@code FAILED} with the database's reason; should even that failure not be writable, with
 * a short message of plain ASCII that every database holds. Only when that too is refused (or the
 * run was lost meanwhile) is the run left as it is, with an ERROR in the log.
 */
final class RejectedCheckpointEnding {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final RunEnvironment environment;
    private final String runId;
    private final long epoch;
    private final String type;
    private final @Nullable String parentId;
    /** The first checkpoint of the run that the database refused for good; the run fails with it. */
    private volatile @Nullable CheckpointRejectedException rejected;

    RejectedCheckpointEnding(RunEnvironment environment, String runId, long epoch, String type, @Nullable String parentId) {
        this.environment = environment;
        this.runId = runId;
        this.epoch = epoch;
        this.type = type;
        this.parentId = parentId;
    }

    /** Remembers why a checkpoint could not be written, when the database refused it for good. */
    void note(AbandonRun notWritten) {
        if (notWritten.getCause() instanceof CheckpointRejectedException refused && rejected == null) {
            rejected = refused;
        }
    }

    /** Whether a checkpoint was refused for good, so that the run must be failed rather than given up. */
    boolean isDue() {
        return rejected != null;
    }

    /** Fails the run with the refusal {@link #note noted}; call only when {@link #isDue()}. */
    RunEnd fail() {
        CheckpointRejectedException rejected = Objects.requireNonNull(this.rejected, "no checkpoint was refused");
        for (FailureInfo failure : List.of(FailureInfo.of(rejected), minimal(rejected))) {
            Instant now = environment.time().now();
            try {
                environment.checkpointer().commit(Checkpoint.ending(runId, epoch,
                        new RunOutcome(WorkflowStatus.FAILED, null, failure, now, parentId)));
            } catch (AbandonRun notWritten) {
                if (notWritten.getCause() instanceof CheckpointRejectedException) {
                    continue;
                }
                LOG.error("Run {} could not be failed after its checkpoint was refused ({}); it is left to the node that drives "
                        + "it next", runId, notWritten.getMessage());
                return new RunEnd.Abandoned();
            }
            environment.events().emit(new EngineEvent.WorkflowFailed(now, runId, type, failure));
            return new RunEnd.Finished(WorkflowStatus.FAILED, null, failure);
        }
        LOG.error("Run {} could not be failed: the database refused even its failure; it stays running", runId);
        return new RunEnd.Abandoned();
    }

    /** The failure in words no database refuses: no user text, no stack trace. */
    private static FailureInfo minimal(CheckpointRejectedException rejected) {
        return new FailureInfo(CheckpointRejectedException.class.getName(), "The database refused a checkpoint of this run for "
                + "good (SQLState " + asciiOnly(rejected.sqlState()) + "); the engine's log has the reason",
                FailureCategory.SYSTEM, CheckpointRejectedException.CODE, null);
    }

    private static String asciiOnly(String text) {
        return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? text : "?";
    }
}
