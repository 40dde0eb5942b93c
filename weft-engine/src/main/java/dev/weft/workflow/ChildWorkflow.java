package dev.weft.workflow;

import org.jspecify.annotations.Nullable;

/**
 * A child workflow started by {@link WorkflowContext#startChild}. Its run is durable from the
 * start; {@link #result()} is a durable wait like any other.
 */
public interface ChildWorkflow<R> {

    /** The child's run id. */
    String id();

    /**
     * Waits for the child to end and returns its result.
     *
     * @throws dev.weft.failure.ChildWorkflowFailedException when the child failed, was cancelled or timed out
     */
    @Nullable R result();
}
