package dev.weft.store;

import dev.weft.WorkflowStatus;
import org.jspecify.annotations.Nullable;

/**
 * What a start with an idempotency key found or did.
 *
 * @param runId the run the key leads to now: the one created, or the one an earlier start created
 * @param created whether this start created the run
 * @param restartedFrom when this start replaced an ended run under the key, that run's id
 * @param ended when the key's run has ended and was not replaced, its status; {@code null} otherwise
 * @param limited when the start carried a concurrency limit and the key led to no live run: what
 *     the limit decided (the run is created only if it did not refuse); {@code null} otherwise
 */
public record KeyedStart(String runId, boolean created, @Nullable String restartedFrom, @Nullable WorkflowStatus ended,
        @Nullable LimitedStart limited) {

    public static KeyedStart createdRun(String runId, @Nullable String restartedFrom, @Nullable LimitedStart limited) {
        return new KeyedStart(runId, true, restartedFrom, null, limited);
    }

    public static KeyedStart existingRun(String runId) {
        return new KeyedStart(runId, false, null, null, null);
    }

    public static KeyedStart endedRun(String runId, WorkflowStatus status) {
        return new KeyedStart(runId, false, null, status, null);
    }

    /** The limit refused the run: nothing was written, the key is as it was. */
    public static KeyedStart refused(String runId, LimitedStart limited) {
        return new KeyedStart(runId, false, null, null, limited);
    }
}
