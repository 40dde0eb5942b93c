package dev.weft.failure;

import dev.weft.WorkflowStatus;

/**
 * A child workflow ended without a result: it failed, was cancelled or timed out. Rebuilt from the
 * parent's journal, so the same on replay; {@link #failure()} carries the child's own error.
 */
public class ChildWorkflowFailedException extends WeftException {

    public static final String CODE = "CHILD_WORKFLOW_FAILED";

    private final String childId;
    private final WorkflowStatus childStatus;
    private final FailureInfo failure;

    public ChildWorkflowFailedException(String childId, WorkflowStatus childStatus, FailureInfo failure) {
        super(CODE, failure.category(), "Child workflow '" + childId + "' ended " + childStatus.wireName()
                + (failure.message().isEmpty() ? "" : ": " + failure.message()));
        this.childId = childId;
        this.childStatus = childStatus;
        this.failure = failure;
    }

    public String childId() {
        return childId;
    }

    public WorkflowStatus childStatus() {
        return childStatus;
    }

    public FailureInfo failure() {
        return failure;
    }
}
