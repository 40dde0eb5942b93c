package dev.weft.failure;


/** A run that is still running was asked to be deleted; only finished runs can be. */
public class WorkflowNotTerminalException extends WeftException {

    public static final String CODE = "WORKFLOW_NOT_TERMINAL";

    private final String workflowId;

    public WorkflowNotTerminalException(String workflowId) {
        super(CODE, FailureCategory.APPLICATION, "Workflow '" + workflowId + "' is still running; only a finished run can be deleted");
        this.workflowId = workflowId;
    }

    public String workflowId() {
        return workflowId;
    }
}
