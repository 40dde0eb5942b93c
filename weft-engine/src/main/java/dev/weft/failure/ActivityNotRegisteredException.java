package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/** A workflow called an activity name that is not registered with this engine. */
public class ActivityNotRegisteredException extends WeftException {

    public static final String CODE = "ACTIVITY_NOT_REGISTERED";

    public ActivityNotRegisteredException(String message) {
        this(message, null);
    }

    public ActivityNotRegisteredException(String message, @Nullable Throwable cause) {
        super(CODE, FailureCategory.SYSTEM, message, cause);
    }
}
