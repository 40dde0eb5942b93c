package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** No run has the given id. */
public class WorkflowNotFoundException extends WeftException {

    public static final String CODE = "WORKFLOW_NOT_FOUND";

    public WorkflowNotFoundException(String message) {
        this(message, null);
    }

    public WorkflowNotFoundException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.APPLICATION, message, cause);
    }
}
