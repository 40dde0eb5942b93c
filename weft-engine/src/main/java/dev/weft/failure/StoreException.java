package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** The workflow store could not be reached or refused an operation for a reason other than ownership. */
public class StoreException extends WeftException {

    public static final String CODE = "STORE_UNAVAILABLE";

    public StoreException(String message) {
        this(message, null);
    }

    public StoreException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.RESOURCE, message, cause);
    }

    /** For a store failure of a more precise kind. */
    protected StoreException(String code, FailureCategory category, String message, @Nullable Throwable cause) {
        super(code, category, message, cause);
    }
}
