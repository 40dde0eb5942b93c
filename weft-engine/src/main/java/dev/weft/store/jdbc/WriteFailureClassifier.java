package dev.weft.store.jdbc;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Tells a write that failed for good from one worth trying again, by the SQLState the database
 * answered. Only a data exception (class 22: a value too long, out of range, not encodable) or an
 * integrity violation (class 23: a key or constraint the row breaks) is permanent: the same rows
 * fail the same way however often they are written. Everything else (a lost connection, class 08;
 * a deadlock or serialization failure, class 40; a cancelled or timed-out statement, class 57 or
 * {@code HYT00}; a lock not available; an unknown state) may pass on another attempt, and is
 * retried as before.
 */
final class WriteFailureClassifier {

    /**
     * MySQL and MariaDB answer a few data errors with the generic state {@code HY000}: 1292 an
     * incorrect datetime value, 1366 an incorrect string value, 1406 data too long, 3819 and 4025 a
     * check constraint violated.
     */
    private static final Set<Integer> MARIADB_DATA_ERRORS = Set.of(1292, 1366, 1406, 3819, 4025);

    /** How far a chain of next exceptions is followed: a batch chains one per failed statement at most. */
    private static final int MAX_CHAINED = 100;

    private WriteFailureClassifier() {
    }

    /** The SQL exception that makes {@code error} permanent, or {@code null} when it may pass on another attempt. */
    static @Nullable SQLException permanentCause(Throwable error) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable current = error; current != null && seen.add(current); current = current.getCause()) {
            if (current instanceof SQLException sql) {
                // a batch's own exception may carry a generic state; the statement's is chained behind it
                SQLException next = sql;
                for (int link = 0; next != null && link < MAX_CHAINED; link++, next = next.getNextException()) {
                    if (isPermanent(next.getSQLState(), next.getErrorCode())) {
                        return next;
                    }
                }
            }
        }
        return null;
    }

    /** Whether a failure with this SQLState (and vendor error code) fails again however often it is tried. */
    static boolean isPermanent(@Nullable String sqlState, int vendorCode) {
        if (sqlState == null || sqlState.length() < 2) {
            return false;
        }
        String sqlClass = sqlState.substring(0, 2);
        if (sqlClass.equals("22") || sqlClass.equals("23")) {
            return true;
        }
        return sqlState.equals("HY000") && MARIADB_DATA_ERRORS.contains(vendorCode);
    }

    /** The database's reason, as a run's failure shows it: the SQLState and the first line of the message, bounded. */
    static String reason(SQLException cause) {
        String message = cause.getMessage() == null ? "" : cause.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline).strip();
        }
        if (message.length() > 500) {
            message = message.substring(0, 500) + "…";
        }
        return "SQLState " + cause.getSQLState() + ": " + message;
    }
}
