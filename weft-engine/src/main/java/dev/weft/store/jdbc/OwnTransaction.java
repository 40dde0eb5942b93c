package dev.weft.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a write of a single statement as a transaction of its own: committed by the database when
 * the connection auto-commits (one round trip, none spent on starting and ending a transaction),
 * and by this class on a pool configured without auto-commit.
 */
final class OwnTransaction {

    /** A write on one connection, and what it answers (for a batch, the positions it refused). */
    @FunctionalInterface
    interface Write<T> {
        T run(Connection connection) throws SQLException;
    }

    private OwnTransaction() {
    }

    static <T> T run(JdbcTemplate jdbc, Write<T> write) {
        DataSource dataSource = Objects.requireNonNull(jdbc.getDataSource(), "the JdbcTemplate has no DataSource");
        if (TransactionSynchronizationManager.isSynchronizationActive() || TransactionSynchronizationManager.hasResource(dataSource)) {
            // inside a Spring transaction: JdbcTemplate joins it and applies its timeout to each statement
            return Objects.requireNonNull(jdbc.execute((ConnectionCallback<T>) connection -> writeAndCommit(connection, write)));
        }
        // Outside one (every checkpoint: the group commit writes only there), JdbcTemplate would take
        // the same connection from the pool, but hand the write a proxy of it that reaches every call
        // (auto-commit, prepare, arrays) through reflection: about 5 % of the engine's CPU at concurrency 1.
        try (Connection connection = dataSource.getConnection()) {
            return Objects.requireNonNull(writeAndCommit(connection, write));
        } catch (SQLException ex) {
            DataAccessException translated = jdbc.getExceptionTranslator().translate("own transaction", null, ex);
            throw translated != null ? translated : new UncategorizedSQLException("own transaction", null, ex);
        }
    }

    /**
     * Runs a write of several statements as one transaction on one connection, without Spring's
     * transaction machinery, which sets and resets the isolation level around it (two round trips
     * of its own): the database's default isolation applies. Inside a Spring transaction, joins it.
     */
    static <T> T runStatements(JdbcTemplate jdbc, Write<T> write) {
        return run(jdbc, connection -> {
            if (!connection.getAutoCommit()) {
                // a pool without auto-commit: the transaction is open already, and committed by run
                return write.run(connection);
            }
            connection.setAutoCommit(false);
            try {
                T answer = write.run(connection);
                connection.commit();
                return answer;
            } catch (SQLException | RuntimeException ex) {
                connection.rollback();
                throw ex;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /**
     * As {@link #runStatements}, but the transaction is begun and ended by statements
     * ({@code start transaction}, {@code commit}) with the connection left in auto-commit: for
     * MariaDB's driver, which spends a round trip on each switch of auto-commit, two of them per
     * transaction, where the statements cost one in all.
     */
    static <T> T runBetweenStartAndCommit(JdbcTemplate jdbc, Write<T> write) {
        return run(jdbc, connection -> {
            if (!connection.getAutoCommit()) {
                return write.run(connection);
            }
            try (Statement control = connection.createStatement()) {
                control.execute("start transaction");
                try {
                    T answer = write.run(connection);
                    control.execute("commit");
                    return answer;
                } catch (SQLException | RuntimeException ex) {
                    control.execute("rollback");
                    throw ex;
                }
            }
        });
    }

    private static <T> T writeAndCommit(Connection connection, Write<T> write) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try {
            T answer = write.run(connection);
            if (!autoCommit) {
                connection.commit();
            }
            return answer;
        } catch (SQLException | RuntimeException ex) {
            if (!autoCommit) {
                connection.rollback();
            }
            throw ex;
        }
    }

    /** Runs a statement with named parameters on {@code connection}; answers its update count. */
    static int update(Connection connection, ParsedSql parsed, SqlParameterSource params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, parsed, params)) {
            return statement.executeUpdate();
        }
    }

    /** Runs a statement with named parameters once per element of {@code params}, as one JDBC batch on {@code connection}. */
    static void batch(Connection connection, ParsedSql parsed, List<? extends SqlParameterSource> params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(NamedParameterUtils.substituteNamedParameters(parsed,
                params.getFirst()))) {
            for (SqlParameterSource each : params) {
                new ArgumentPreparedStatementSetter(NamedParameterUtils.buildValueArray(parsed, each, null)).setValues(statement);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Runs a statement with named parameters that answers one row on {@code connection}; answers that row, mapped. */
    static <T> T queryOne(Connection connection, ParsedSql parsed, SqlParameterSource params, RowMapper<T> row) throws SQLException {
        try (PreparedStatement statement = prepare(connection, parsed, params); ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                throw new SQLException("the statement answered no row: " + parsed);
            }
            return row.mapRow(rows, 0);
        }
    }

    private static PreparedStatement prepare(Connection connection, ParsedSql parsed, SqlParameterSource params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(NamedParameterUtils.substituteNamedParameters(parsed, params));
        try {
            new ArgumentPreparedStatementSetter(NamedParameterUtils.buildValueArray(parsed, params, null)).setValues(statement);
            return statement;
        } catch (SQLException | RuntimeException ex) {
            statement.close();
            throw ex;
        }
    }
}
