package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** A run was started, resumed or recovered for a workflow type that is not registered with this engine. */
public class WorkflowNotRegisteredException extends WeftException {

    public static final String CODE = "WORKFLOW_NOT_REGISTERED";

    public WorkflowNotRegisteredException(String message) {
        this(message, null);
    }

    public WorkflowNotRegisteredException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.SYSTEM, message, cause);
    }
}
