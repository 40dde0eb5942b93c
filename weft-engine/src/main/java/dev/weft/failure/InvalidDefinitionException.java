package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** A workflow or activity definition, or its options, is invalid: a blank or duplicate name, a negative duration. */
public class InvalidDefinitionException extends WeftException {

    public static final String CODE = "INVALID_DEFINITION";

    public InvalidDefinitionException(String message) {
        this(message, null);
    }

    public InvalidDefinitionException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.SYSTEM, message, cause);
    }
}
