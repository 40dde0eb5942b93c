package dev.weft.failure;

import dev.weft.WorkflowHandle;

/**
 * The run was cancelled. Thrown by {@link WorkflowHandle#result()} of a cancelled run, and inside
 * the workflow by the durable operation that was waiting when the cancellation arrived (and by
 * every durable operation after it).
 */
public class WorkflowCancelledException extends WeftException {

    public static final String CODE = "WORKFLOW_CANCELLED";

    private final String workflowId;

    public WorkflowCancelledException(String workflowId) {
        super(CODE, FailureCategory.CANCELLATION, "Workflow '" + workflowId + "' was cancelled");
        this.workflowId = workflowId;
    }

    public String workflowId() {
        return workflowId;
    }
}
