package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception the engine throws. Each carries a stable {@link #code()} that callers
 * (and the REST layer) can switch on, and a {@link #category()}.
 */
public class WeftException extends RuntimeException {

    private final String code;
    private final FailureCategory category;

    public WeftException(String code, FailureCategory category, String message) {
        this(code, category, message, null);
    }

    public WeftException(String code, FailureCategory category, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = code;
        this.category = category;
    }

    /** A stable, upper-case identifier of this kind of failure, such as {@code WORKFLOW_NOT_FOUND}. */
    public String code() {
        return code;
    }

    public FailureCategory category() {
        return category;
    }
}
