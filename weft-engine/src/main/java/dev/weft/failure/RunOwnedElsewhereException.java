package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** A run cannot be resumed here because another live engine holds its lease. */
public class RunOwnedElsewhereException extends WeftException {

    public static final String CODE = "RUN_OWNED_ELSEWHERE";

    public RunOwnedElsewhereException(String message) {
        this(message, null);
    }

    public RunOwnedElsewhereException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.APPLICATION, message, cause);
    }
}
