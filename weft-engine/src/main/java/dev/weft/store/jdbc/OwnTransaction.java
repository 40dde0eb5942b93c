package dev.weft.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.Objects;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs a write of a single statement as a transaction of its own: committed by the database when
 * the connection auto-commits (one round trip, none spent on starting and ending a transaction),
 * and by this class on a pool configured without auto-commit.
 */
final class OwnTransaction {

    /** A write on one connection, which answers the positions of its batch it refused. */
    @FunctionalInterface
    interface Write {
        BitSet run(Connection connection) throws SQLException;
    }

    private OwnTransaction() {
    }

    static BitSet run(JdbcTemplate jdbc, Write write) {
        return Objects.requireNonNull(jdbc.execute((ConnectionCallback<BitSet>) connection -> {
            boolean autoCommit = connection.getAutoCommit();
            try {
                BitSet refused = write.run(connection);
                if (!autoCommit) {
                    connection.commit();
                }
                return refused;
            } catch (SQLException | RuntimeException ex) {
                if (!autoCommit) {
                    connection.rollback();
                }
                throw ex;
            }
        }));
    }
}
