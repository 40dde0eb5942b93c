package dev.weft.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

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
        return Objects.requireNonNull(jdbc.execute((ConnectionCallback<T>) connection -> {
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
        }));
    }

    /** Runs a statement with named parameters on {@code connection}; answers its update count. */
    static int update(Connection connection, ParsedSql parsed, SqlParameterSource params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, parsed, params)) {
            return statement.executeUpdate();
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
