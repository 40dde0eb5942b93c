package dev.weft.store.jdbc;

import dev.weft.failure.FailureInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Binds one array parameter per column, in order: each holds that column's value for every row.
 * Instants travel as ISO-8601 text (microseconds, UTC) that the statement casts.
 */
final class ArrayParameters<T> {

    private final Connection connection;
    private final PreparedStatement statement;
    private final List<T> rows;
    private int next = 1;

    ArrayParameters(Connection connection, PreparedStatement statement, List<T> rows) {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
    }

    ArrayParameters<T> from(int parameterIndex) {
        next = parameterIndex;
        return this;
    }

    /** The index of the parameter after the last one bound. */
    int next() {
        return next;
    }

    ArrayParameters<T> text(Function<T, @Nullable String> column) throws SQLException {
        return bind("text", column);
    }

    ArrayParameters<T> int8(Function<T, Long> column) throws SQLException {
        return bind("int8", column);
    }

    ArrayParameters<T> int4(Function<T, Integer> column) throws SQLException {
        return bind("int4", column);
    }

    ArrayParameters<T> instant(Function<T, @Nullable Instant> column) throws SQLException {
        return bind("text", row -> {
            Instant value = column.apply(row);
            return value == null ? null : JdbcDialect.micros(value).toString();
        });
    }

    /** The five {@code error_*} columns of a failure, its texts in their {@link StoredText} form. */
    ArrayParameters<T> failure(Function<T, @Nullable FailureInfo> column) throws SQLException {
        return text(row -> StoredText.encode(failureOf(column, row, FailureInfo::type)))
                .text(row -> StoredText.encode(failureOf(column, row, FailureInfo::message)))
                .text(row -> failureOf(column, row, failure -> failure.category().wireName()))
                .text(row -> StoredText.encode(failureOf(column, row, FailureInfo::code)))
                .text(row -> StoredText.encode(failureOf(column, row, FailureInfo::stackTrace)));
    }

    private static <T> @Nullable String failureOf(Function<T, @Nullable FailureInfo> column, T row,
            Function<FailureInfo, @Nullable String> part) {
        FailureInfo failure = column.apply(row);
        return failure == null ? null : part.apply(failure);
    }

    private ArrayParameters<T> bind(String elementType, Function<T, ?> column) throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        statement.setArray(next++, connection.createArrayOf(elementType, values));
        return this;
    }
}
