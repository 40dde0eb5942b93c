package dev.weft.failure;

import org.jspecify.annotations.Nullable;

/**
 * The database refused a checkpoint for a reason that writing it again cannot change: a data
 * exception or an integrity violation (SQLState class 22 or 23), such as a value out of a column's
 * range or a constraint the row breaks. The engine does not retry such a write; it fails the run
 * with this exception, whose message carries the database's reason.
 */
public class CheckpointRejectedException extends StoreException {

    public static final String CODE = "CHECKPOINT_REJECTED";

    private final String sqlState;

    public CheckpointRejectedException(String message, String sqlState, @Nullable Throwable cause) {
        super(CODE, FailureCategory.SYSTEM, message, cause);
        this.sqlState = sqlState;
    }

    /** The SQLState the database answered, such as {@code 22021}. */
    public String sqlState() {
        return sqlState;
    }
}
