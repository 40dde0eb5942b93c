package dev.weft.store;

import dev.weft.QueuePosition;
import dev.weft.WorkflowStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queries of those who look at runs from outside (web, Actuator, clients, through the engine's
 * read API), kept apart from the kernel's {@link WorkflowStore}: listings and counts over many
 * runs, and the removal of finished runs. The kernel never calls it, so a store may answer these
 * from another index or a replica without slowing checkpoints. Failures surface as
 * {@link dev.weft.failure.StoreException}.
 */
public interface VisibilityStore {

    /** Runs matching the query, newest first. */
    List<RunRecord> listRuns(RunQuery query);

    /** How many runs match the query's filter (its offset and limit are ignored). */
    long countRuns(RunQuery query);

    /** The number of runs in each status; statuses with no run are absent. */
    Map<WorkflowStatus, Long> countByStatus();

    /**
     * How many running runs have had no live owner for longer than {@code beyond}: their lease
     * lapsed that long ago (by the database clock) and nobody adopted them. A health signal.
     */
    long countOverdue(Duration beyond);

    /** Where a queued run stands in its key's queue; empty when the run is not queued (or does not exist). */
    Optional<QueuePosition> queuePosition(String runId);

    /** Deletes a finished run and its journal. */
    DeleteOutcome deleteRun(String runId);
}
