package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by activity code to fail the activity at once, without the retries its policy would
 * otherwise allow: for errors that another attempt cannot fix (a validation error, a 404).
 */
public class NonRetryableException extends WeftException {

    public static final String CODE = "NON_RETRYABLE";

    public NonRetryableException(String message) {
        this(message, null);
    }

    public NonRetryableException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.APPLICATION, message, cause);
    }
}
