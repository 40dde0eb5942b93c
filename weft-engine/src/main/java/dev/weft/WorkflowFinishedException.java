package dev.weft;

/** The run has already ended, so it can take no signal (or other input) any more. */
public class WorkflowFinishedException extends WeftException {

    public static final String CODE = "WORKFLOW_FINISHED";

    public WorkflowFinishedException(String workflowId) {
        super(CODE, FailureCategory.APPLICATION, "Workflow '" + workflowId + "' has already ended and accepts no signal");
    }
}
