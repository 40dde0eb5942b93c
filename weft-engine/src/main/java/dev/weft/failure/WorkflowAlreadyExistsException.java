package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** A run was started with the id of a run that already exists. */
public class WorkflowAlreadyExistsException extends WeftException {

    public static final String CODE = "WORKFLOW_ALREADY_EXISTS";

    public WorkflowAlreadyExistsException(String message) {
        this(message, null);
    }

    public WorkflowAlreadyExistsException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.APPLICATION, message, cause);
    }
}
