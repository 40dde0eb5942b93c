package dev.weft.failure;


/**
 * A run was started by another version of its workflow definition than the one registered here,
 * and the registered one does not declare ({@code continuing(...)}) that it can continue it. The run
 * ends failed with this error rather than replay down a path it never took.
 */
public class VersionMismatchException extends WeftException {

    public static final String CODE = "VERSION_MISMATCH";

    public VersionMismatchException(String message) {
        super(CODE, FailureCategory.SYSTEM, message);
    }
}
