package dev.weft.spring;

import dev.weft.FailureCategory;
import dev.weft.WeftException;

/** A {@link Workflow @Workflow} method was called from inside a running workflow: child workflows are not available yet. */
public class ChildWorkflowNotSupportedException extends WeftException {

    public static final String CODE = "CHILD_WORKFLOW_NOT_SUPPORTED";

    public ChildWorkflowNotSupportedException(String message) {
        super(CODE, FailureCategory.APPLICATION, message);
    }
}
