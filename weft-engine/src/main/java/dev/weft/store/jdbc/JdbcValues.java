package dev.weft.store.jdbc;

import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.WorkflowStatus;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.ActivityRecord;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Converts between the store's values and columns for one dialect: instants through the dialect,
 * enums by lowercase name, a failure as its five {@code error_*} columns (its texts in their
 * {@link StoredText} form). Nullable values are bound
 * with an explicit SQL type so no driver has to guess it.
 */
final class JdbcValues {

    private final JdbcDialect dialect;

    JdbcValues(JdbcDialect dialect) {
        this.dialect = dialect;
    }

    MapSqlParameterSource instant(MapSqlParameterSource params, String name, @Nullable Instant value) {
        if (value == null) {
            return params.addValue(name, null, dialect == JdbcDialect.MARIADB ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
        }
        return params.addValue(name, dialect.bind(value));
    }

    /** The parameters of {@code JdbcRunDao.INSERT_RUN} for {@code run}. */
    MapSqlParameterSource newRun(NewRun run) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("id", run.id())
                .addValue("type", run.type())
                .addValue("input", run.input())
                .addValue("owner", run.owner())
                .addValue("version", run.version())
                .addValue("parentSeq", run.parentSeq())
                .addValue("depth", run.depth());
        text(params, "parentId", run.parentId());
        text(params, "parentClosePolicy", run.parentClosePolicy());
        lease(params, run.lease());
        instant(params, "deadline", run.deadline());
        return instant(params, "createdAt", run.createdAt());
    }

    /** An instant as the dialect binds it, for statements built with {@code JdbcClient.param}. */
    Object bindable(Instant value) {
        return dialect.bind(value);
    }

    static MapSqlParameterSource text(MapSqlParameterSource params, String name, @Nullable String value) {
        return params.addValue(name, value, Types.VARCHAR);
    }

    static MapSqlParameterSource lease(MapSqlParameterSource params, Duration lease) {
        if (lease.isNegative()) {
            throw new IllegalArgumentException("A lease cannot be negative, was " + lease);
        }
        return params.addValue("leaseMicros", lease.truncatedTo(ChronoUnit.MICROS).toNanos() / 1_000);
    }

    static MapSqlParameterSource failure(MapSqlParameterSource params, @Nullable FailureInfo failure) {
        // Text from user code goes in its stored form: see StoredText.
        text(params, "errorType", failure == null ? null : StoredText.encode(failure.type()));
        text(params, "errorMessage", failure == null ? null : StoredText.encode(failure.message()));
        text(params, "errorCategory", failure == null ? null : failure.category().wireName());
        text(params, "errorCode", failure == null ? null : StoredText.encode(failure.code()));
        return text(params, "errorStack", failure == null ? null : StoredText.encode(failure.stackTrace()));
    }

    MapSqlParameterSource journalEntry(String runId, JournalEntry entry) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("runId", runId)
                .addValue("seq", entry.seq())
                .addValue("kind", wireName(entry.kind()))
                .addValue("name", entry.name())
                .addValue("state", wireName(entry.state()))
                .addValue("attempt", entry.attempt());
        text(params, "result", entry.result());
        failure(params, entry.failure());
        instant(params, "dueAt", entry.dueAt());
        return instant(params, "scheduledAt", entry.scheduledAt());
    }

    /** The named parameters of a reconciliation record: {@code runId, activity, digest, seq, state, attempt, result}. */
    static MapSqlParameterSource activityRecord(ActivityRecord record) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("runId", record.runId())
                .addValue("activity", record.activity()).addValue("digest", record.keyDigest()).addValue("seq", record.seq())
                .addValue("state", record.state().wireName()).addValue("attempt", record.attempt());
        return text(params, "result", record.result());
    }

    static String wireName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        return dialect.read(rs, column);
    }

    Instant requiredInstant(ResultSet rs, String column) throws SQLException {
        Instant value = dialect.read(rs, column);
        if (value == null) {
            throw new SQLException("Column " + column + " is null");
        }
        return value;
    }

    static @Nullable FailureInfo failure(ResultSet rs) throws SQLException {
        String type = rs.getString("error_type");
        if (type == null) {
            return null;
        }
        String category = rs.getString("error_category");
        return new FailureInfo(StoredText.decode(type), StoredText.decode(rs.getString("error_message")),
                FailureCategory.fromWireName(category == null ? "" : category),
                StoredText.decode(rs.getString("error_code")), StoredText.decode(rs.getString("error_stack")));
    }

    RowMapper<RunRecord> runMapper() {
        return (rs, row) -> new RunRecord(
                rs.getString("id"),
                rs.getString("type"),
                WorkflowStatus.fromWireName(rs.getString("status")),
                rs.getString("input"),
                rs.getString("result"),
                failure(rs),
                rs.getString("owner"),
                rs.getLong("epoch"),
                instant(rs, "lease_expires_at"),
                rs.getBoolean("cancel_requested"),
                requiredInstant(rs, "created_at"),
                instant(rs, "completed_at"),
                instant(rs, "deadline_at"),
                rs.getInt("version"),
                rs.getString("parent_id"),
                rs.getLong("parent_seq"),
                rs.getInt("depth"),
                rs.getString("restarted_from"),
                rs.getString("concurrency_key"));
    }

    RowMapper<JournalEntry> journalMapper() {
        return (rs, row) -> new JournalEntry(
                rs.getLong("seq"),
                EntryKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                rs.getString("name"),
                EntryState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                rs.getString("result"),
                failure(rs),
                rs.getInt("attempt"),
                instant(rs, "due_at"),
                instant(rs, "scheduled_at"));
    }
}
