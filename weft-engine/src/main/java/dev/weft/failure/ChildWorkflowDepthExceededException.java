package dev.weft.failure;


/** Starting a child would nest workflows deeper than the engine allows ({@code maxChildDepth}). */
public class ChildWorkflowDepthExceededException extends WeftException {

    public static final String CODE = "CHILD_WORKFLOW_DEPTH_EXCEEDED";

    public ChildWorkflowDepthExceededException(String message) {
        super(CODE, FailureCategory.APPLICATION, message);
    }
}
