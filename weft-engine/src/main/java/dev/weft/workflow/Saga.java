package dev.weft.workflow;

/**
 * The compensations of a {@link WorkflowContext#saga saga} in progress. Each activity that
 * completes inside the saga and whose options name a
 * {@link dev.weft.activity.ActivityOptions#compensation() compensating activity} adds that
 * activity's call here by itself; {@link #addCompensation} adds any other undo step.
 *
 * <p>Compensations run newest first: a step's compensation runs before those of the steps that
 * completed before it (parallel branches are ordered by their position in the journal, so a replay
 * compensates in the same order).
 */
public interface Saga {

    /**
     * Adds an undo step, such as a call of an activity bean's method, to run if the saga
     * compensates. It runs on the workflow's thread, so the activities it calls are durable steps.
     */
    void addCompensation(Runnable compensation);

    /**
     * Runs the compensations added so far, newest first, and forgets them: for a workflow that
     * decides by itself to undo what it did. Every compensation runs even when one fails.
     *
     * @throws RuntimeException the first compensation's failure, the others' attached as suppressed
     */
    void compensate();
}
