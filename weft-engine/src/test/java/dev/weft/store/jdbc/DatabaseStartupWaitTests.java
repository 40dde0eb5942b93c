package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import dev.weft.LogCategories;
import dev.weft.failure.DatabaseUnavailableException;
import dev.weft.testing.LogCapture;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The start-up wait's backoff and bounds, on a manual clock: no test here sleeps. */
class DatabaseStartupWaitTests {

    private long nowNanos;
    private final List<Duration> pauses = new ArrayList<>();

    private DatabaseStartupWait waitingAtMost(Duration maxWait) {
        return new DatabaseStartupWait(maxWait, pause -> {
            pauses.add(pause);
            nowNanos += pause.toNanos();
        }, () -> nowNanos);
    }

    @Test
    void triesAgainWithDoublingPausesUntilTheDatabaseAnswers() throws SQLException {
        RefusingDataSource database = new RefusingDataSource(7, "08001");
        try (LogCapture log = LogCapture.of(LogCategories.STORE, Level.INFO)) {
            waitingAtMost(Duration.ofSeconds(60)).await(database);

            assertThat(database.attempts).isEqualTo(8);
            assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                    Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5));
            assertThat(log.messages(Level.WARN)).hasSize(7).first().asString()
                    .contains("attempt 1", "connection refused (test)", "trying again in 250 ms");
            assertThat(log.messages(Level.INFO)).singleElement().asString().contains("after 8 attempts");
        }
    }

    @Test
    void givesUpWhenTheWaitIsSpentAndSaysHowLongItTried() {
        RefusingDataSource database = new RefusingDataSource(Integer.MAX_VALUE, "08001");

        DatabaseUnavailableException failure = catchThrowableOfType(DatabaseUnavailableException.class,
                () -> waitingAtMost(Duration.ofSeconds(3)).await(database));

        // 250 + 500 + 1000 ms, then only the 1250 ms left of the three seconds
        assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofMillis(1250));
        assertThat(failure.attempts()).isEqualTo(5);
        assertThat(failure.waited()).isEqualTo(Duration.ofSeconds(3));
        assertThat(failure.permanent()).isFalse();
        assertThat(failure).hasMessageContaining("within 3000 ms (5 attempts)").hasMessageContaining("connection refused (test)");
    }

    @Test
    void aZeroWaitTriesOnce() {
        RefusingDataSource database = new RefusingDataSource(1, "08001");

        DatabaseUnavailableException failure = catchThrowableOfType(DatabaseUnavailableException.class,
                () -> waitingAtMost(Duration.ZERO).await(database));

        assertThat(database.attempts).isEqualTo(1);
        assertThat(pauses).isEmpty();
        assertThat(failure.attempts()).isEqualTo(1);
    }

    @Test
    void wrongCredentialsOrAnUnknownDatabaseEndTheWaitAtOnce() {
        for (String sqlState : List.of("28P01", "3D000", "42000")) {
            RefusingDataSource database = new RefusingDataSource(Integer.MAX_VALUE, sqlState);

            DatabaseUnavailableException failure = catchThrowableOfType(DatabaseUnavailableException.class,
                    () -> waitingAtMost(Duration.ofSeconds(60)).await(database));

            assertThat(database.attempts).as(sqlState).isEqualTo(1);
            assertThat(failure.permanent()).as(sqlState).isTrue();
            assertThat(failure).hasMessageContaining("waiting will not mend");
        }
        assertThat(pauses).isEmpty();
    }

    @Test
    void anInterruptedWaitStopsAndKeepsTheInterrupt() {
        RefusingDataSource database = new RefusingDataSource(Integer.MAX_VALUE, "08001");
        DatabaseStartupWait interrupted = new DatabaseStartupWait(Duration.ofSeconds(60), pause -> {
            throw new InterruptedException("stop");
        }, () -> nowNanos);

        DatabaseUnavailableException failure = catchThrowableOfType(DatabaseUnavailableException.class,
                () -> interrupted.await(database));

        assertThat(Thread.interrupted()).isTrue();
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
    }

    @Test
    void refusesANegativeWait() {
        assertThatIllegalArgumentException().isThrownBy(() -> DatabaseStartupWait.atMost(Duration.ofSeconds(-1)))
                .withMessageContaining("PT-1S");
    }

    /** Refuses the first {@code refusals} connections with the given SQLState, then hands out H2 ones. */
    private static final class RefusingDataSource implements DataSource {

        private final int refusals;
        private final String sqlState;
        private final JdbcDataSource h2 = new JdbcDataSource();
        int attempts;

        RefusingDataSource(int refusals, String sqlState) {
            this.refusals = refusals;
            this.sqlState = sqlState;
            h2.setURL("jdbc:h2:mem:startup-" + UUID.randomUUID());
        }

        @Override
        public Connection getConnection() throws SQLException {
            attempts++;
            if (attempts <= refusals) {
                throw new SQLException("connection refused (test)", sqlState);
            }
            return h2.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // not used
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // not used
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
