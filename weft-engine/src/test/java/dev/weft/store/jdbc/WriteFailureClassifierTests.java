package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DeadlockLoserDataAccessException;

/** A write failing with a data exception or an integrity violation is permanent; a failure of the connection or the transaction is not. */
class WriteFailureClassifierTests {

    @ParameterizedTest(name = "SQLState {0} (vendor {1}): permanent {2}")
    @CsvSource({
            // data exceptions: PostgreSQL NUL in text, too long, datetime out of range, numeric out of range
            "22021, 0, true", "22001, 0, true", "22008, 0, true", "22003, 0, true", "22007, 1292, true",
            // integrity violations: check (PostgreSQL, H2), unique, not null, MariaDB's generic one
            "23514, 0, true", "23513, 0, true", "23505, 0, true", "23502, 0, true", "23000, 4025, true",
            // MariaDB data errors with the generic state
            "HY000, 1366, true", "HY000, 1406, true", "HY000, 1292, true",
            // lost connections, deadlocks, serialization failures, timeouts, cancels, locks, shutdowns
            "08006, 0, false", "08001, 0, false", "08S01, 0, false", "40001, 0, false", "40P01, 0, false",
            "57014, 0, false", "HYT00, 0, false", "55P03, 0, false", "57P01, 0, false", "53300, 0, false",
            "HY000, 1205, false", "HY000, 0, false", "42P01, 0, false"})
    void classifiesEachSqlState(String sqlState, int vendorCode, boolean permanent) {
        assertThat(WriteFailureClassifier.isPermanent(sqlState, vendorCode)).isEqualTo(permanent);
        SQLException cause = new SQLException("refused", sqlState, vendorCode);
        assertThat((Throwable) WriteFailureClassifier.permanentCause(new DataAccessResourceFailureException("write failed", cause)))
                .isEqualTo(permanent ? cause : null);
    }

    @Test
    void aFailureWithoutSqlStateOrWithoutSqlExceptionIsNotPermanent() {
        assertThat(WriteFailureClassifier.isPermanent(null, 0)).isFalse();
        assertThat((Throwable) WriteFailureClassifier.permanentCause(new DeadlockLoserDataAccessException("deadlock", null))).isNull();
        assertThat((Throwable) WriteFailureClassifier.permanentCause(new IllegalStateException("pool closed"))).isNull();
    }

    @Test
    void theStatementsOwnStateIsFoundBehindTheBatchsGenericOne() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 1 was aborted", "HY000", new int[0]);
        SQLException statement = new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00\n  Where: ...", "22021");
        batch.setNextException(statement);

        SQLException permanent = WriteFailureClassifier.permanentCause(new DataIntegrityViolationException("batch", batch));

        assertThat((Throwable) permanent).isSameAs(statement);
        assertThat(WriteFailureClassifier.reason(permanent)).isEqualTo("SQLState 22021: ERROR: invalid byte sequence for encoding \"UTF8\": 0x00");
    }
}
