package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** This engine no longer owns a run (its lease lapsed and another engine adopted it), so the database refused its write. */
public class OwnershipLostException extends WeftException {

    public static final String CODE = "OWNERSHIP_LOST";

    public OwnershipLostException(String message) {
        this(message, null);
    }

    public OwnershipLostException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.SYSTEM, message, cause);
    }
}
