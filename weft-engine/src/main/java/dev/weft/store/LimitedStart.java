package dev.weft.store;

/**
 * What a start under a concurrency limit did.
 *
 * @param outcome whether the run was created running, created queued, or not created
 * @param running how many runs of the type and key occupied a slot when the start decided
 * @param queuedAhead how many runs of the type and key were queued before this start
 */
public record LimitedStart(Outcome outcome, long running, long queuedAhead) {

    /** What happened to the run. */
    public enum Outcome {

        /** Created running, owned by the starting node like any new run. */
        STARTED,

        /** Created {@link dev.weft.WorkflowStatus#QUEUED}, behind {@link #queuedAhead()} others. */
        QUEUED,

        /** Not created: the key had no free slot and the start asked to be refused. */
        REFUSED
    }
}
