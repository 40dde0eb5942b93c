package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** A run did not finish within the time a caller was prepared to wait for its result. The run itself goes on. */
public class ResultTimeoutException extends WeftException {

    public static final String CODE = "RESULT_TIMEOUT";

    public ResultTimeoutException(String message) {
        this(message, null);
    }

    public ResultTimeoutException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.TIMEOUT, message, cause);
    }
}
