package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/**
 * The REST API answered with an error that no engine exception stands for (bad parameters, a
 * refused credential, a server failure), or could not be reached.
 */
public class WorkflowClientException extends WeftException {

    public static final String CODE = "WORKFLOW_CLIENT_ERROR";

    private final int httpStatus;
    private final @Nullable String faultCode;

    public WorkflowClientException(int httpStatus, @Nullable String faultCode, String message, @Nullable Throwable cause) {
        super(CODE, httpStatus >= 500 || httpStatus == 0 ? FailureCategory.SYSTEM : FailureCategory.APPLICATION, message, cause);
        this.httpStatus = httpStatus;
        this.faultCode = faultCode;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The API's fault code, such as {@code InvalidParams} or {@code Forbidden}, when it sent one. */
    public @Nullable String faultCode() {
        return faultCode;
    }
}
