package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** On replay, the workflow asked for a different durable operation at a position than the journal recorded there: the code changed or is not deterministic. The run stops in the failed state. */
public class NonDeterministicWorkflowException extends WeftException {

    public static final String CODE = "NON_DETERMINISTIC_WORKFLOW";

    public NonDeterministicWorkflowException(String message) {
        this(message, null);
    }

    public NonDeterministicWorkflowException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.SYSTEM, message, cause);
    }
}
