package dev.weft.failure;

import dev.weft.StartOptions;
import dev.weft.WorkflowHandle;
import dev.weft.WorkflowStatus;

/**
 * The run ran past its execution timeout ({@link StartOptions#executionTimeout()}) and ended
 * {@link WorkflowStatus#TIMED_OUT}. Thrown by {@link WorkflowHandle#result()}, and inside the
 * workflow by the durable operation that was waiting when the deadline came.
 */
public class WorkflowTimeoutException extends WeftException {

    public static final String CODE = "WORKFLOW_TIMED_OUT";

    private final String workflowId;

    public WorkflowTimeoutException(String workflowId) {
        super(CODE, FailureCategory.TIMEOUT, "Workflow '" + workflowId + "' ran past its execution timeout");
        this.workflowId = workflowId;
    }

    public String workflowId() {
        return workflowId;
    }
}
