package dev.weft.failure;


/** The run has already ended, so it can take no signal, suspension or resumption any more. */
public class WorkflowFinishedException extends WeftException {

    public static final String CODE = "WORKFLOW_FINISHED";

    private final String workflowId;

    public WorkflowFinishedException(String workflowId) {
        super(CODE, FailureCategory.APPLICATION, "Workflow '" + workflowId + "' has already ended");
        this.workflowId = workflowId;
    }

    /** The run that has ended. */
    public String workflowId() {
        return workflowId;
    }
}
