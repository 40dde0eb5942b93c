package dev.weft.failure;

import dev.weft.WorkflowHandle;

/** Thrown by {@link WorkflowHandle#result()} when the run ended in the failed state. */
public class WorkflowFailedException extends WeftException {

    public static final String CODE = "WORKFLOW_FAILED";

    private final String workflowId;
    private final FailureInfo failure;

    public WorkflowFailedException(String workflowId, FailureInfo failure) {
        super(CODE, failure.category(), "Workflow '" + workflowId + "' failed: " + failure.simpleType()
                + (failure.message().isEmpty() ? "" : ": " + failure.message()));
        this.workflowId = workflowId;
        this.failure = failure;
    }

    public String workflowId() {
        return workflowId;
    }

    /** The recorded failure that ended the run. */
    public FailureInfo failure() {
        return failure;
    }
}
