package dev.weft.store.jdbc;

import dev.weft.failure.OwnershipLostException;
import dev.weft.store.ActivityRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reconciliation records of keyed activities. Every write is fenced as a checkpoint is: in one
 * transaction it locks the run's row and goes ahead only while the run is still held at the
 * writer's epoch, so a node that lost the run can neither claim a dispatch nor record a result.
 */
final class JdbcActivityRecordDao {

    private static final String SELECT = """
            select run_id, activity, key_digest, seq, state, attempt, result from %PREFIX%activity_record
            where run_id = :runId and activity = :activity and key_digest = :digest""";

    private static final String LOCK_RUN_EPOCH = """
            select epoch from %PREFIX%run where id = :runId and status = 'running' for update""";

    private static final String UPDATE = """
            update %PREFIX%activity_record set seq = :seq, state = :state, attempt = :attempt, result = :result, updated_at = %NOW%
            where run_id = :runId and activity = :activity and key_digest = :digest""";

    private static final String INSERT = """
            insert into %PREFIX%activity_record (run_id, activity, key_digest, seq, state, attempt, result, created_at, updated_at)
            values (:runId, :activity, :digest, :seq, :state, :attempt, :result, %NOW%, %NOW%)""";

    // PostgreSQL: the fence, the insert of a started record where none is, and the record as it was
    // before (every part of one statement sees the same snapshot, taken before the insert), at once.
    private static final String START_IN_ONE_STATEMENT = """
            with fence as (
              select id from %PREFIX%run where id = :runId and epoch = :epoch and status = 'running' for update
            ), inserted as (
              insert into %PREFIX%activity_record (run_id, activity, key_digest, seq, state, attempt, result, created_at, updated_at)
              select id, :activity, :digest, :seq, :state, :attempt, :result, now(), now() from fence
              on conflict (run_id, activity, key_digest) do nothing
            )
            select (select count(*) from fence) as held, r.run_id, r.activity, r.key_digest, r.seq, r.state, r.attempt, r.result
            from (select 1) as one left join %PREFIX%activity_record r
              on r.run_id = :runId and r.activity = :activity and r.key_digest = :digest""";

    private static final String RUNNING_EPOCH = "select epoch from %PREFIX%run where id = :runId and status = 'running'";

    private final StoreTemplate store;
    /** The dialect's single fenced statement (parsed once), or {@code null} where the record is written in a locking transaction. */
    private final @Nullable ParsedSql fencedUpsert;
    private final ParsedSql startInOneStatement;

    JdbcActivityRecordDao(StoreTemplate store) {
        this.store = store;
        String upsert = store.sql().fencedActivityRecordUpsert();
        this.fencedUpsert = upsert == null ? null : NamedParameterUtils.parseSqlStatement(upsert);
        this.startInOneStatement = NamedParameterUtils.parseSqlStatement(store.resolve(START_IN_ONE_STATEMENT));
    }

    Optional<ActivityRecord> find(String runId, String activity, String keyDigest) {
        return store.translated("read the reconciliation record of activity '" + activity + "' in run '" + runId + "'",
                () -> store.jdbc().sql(store.resolve(SELECT)).param("runId", runId).param("activity", activity).param("digest", keyDigest)
                        .query((rs, row) -> record(rs))
                        .optional());
    }

    private static ActivityRecord record(ResultSet rs) throws SQLException {
        return new ActivityRecord(rs.getString("run_id"), rs.getString("activity"), rs.getString("key_digest"),
                rs.getLong("seq"), ActivityRecord.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                rs.getInt("attempt"), rs.getString("result"));
    }

    /**
     * The record of {@code started}'s activity and key, after writing {@code started} where there
     * was none (then answers empty); fenced as {@link #write}.
     *
     * @throws OwnershipLostException when the run is no longer held at {@code epoch}
     */
    Optional<ActivityRecord> start(ActivityRecord started, long epoch) {
        if (store.sql().dialect() != JdbcDialect.POSTGRESQL) {
            // no data-modifying subquery elsewhere: the read, then the write (the run is ours, nobody else writes it)
            Optional<ActivityRecord> found = find(started.runId(), started.activity(), started.keyDigest());
            if (found.isEmpty()) {
                write(started, epoch);
            }
            return found;
        }
        MapSqlParameterSource params = JdbcValues.activityRecord(started).addValue("epoch", epoch);
        StartAnswer answer = store.translated("start the reconciliation record of activity '" + started.activity() + "' in run '"
                + started.runId() + "'", () -> OwnTransaction.run(store.batch().getJdbcTemplate(),
                        connection -> OwnTransaction.queryOne(connection, startInOneStatement, params,
                                (rs, row) -> new StartAnswer(rs.getLong("held") > 0, rs.getString("run_id") == null ? null : record(rs)))));
        if (!answer.held()) {
            throw new OwnershipLostException("Run '" + started.runId() + "' is no longer held at epoch " + epoch
                    + ": its reconciliation record is not written");
        }
        return Optional.ofNullable(answer.found());
    }

    /** What the one-statement start found: whether the run was held at the epoch, and the record that was there. */
    private record StartAnswer(boolean held, @Nullable ActivityRecord found) {
    }

    /** @throws OwnershipLostException when the run is no longer held at {@code epoch} */
    void write(ActivityRecord record, long epoch) {
        if (fencedUpsert != null) {
            writeInOneStatement(record, epoch);
            return;
        }
        store.inTransaction("write the reconciliation record of activity '" + record.activity() + "' in run '" + record.runId() + "'",
                () -> {
                    Long held = store.jdbc().sql(store.resolve(LOCK_RUN_EPOCH)).param("runId", record.runId())
                            .query(Long.class).optional().orElse(null);
                    if (held == null || held != epoch) {
                        throw new OwnershipLostException("Run '" + record.runId() + "' is no longer held at epoch " + epoch
                                + ": its reconciliation record is not written");
                    }
                    int updated = statement(UPDATE, record).update();
                    if (updated == 0) {
                        statement(INSERT, record).update();
                    }
                    return updated;
                });
    }

    /**
     * One round trip where the database can fence the write itself: a transaction that locks the
     * run first costs about six. No row written means the fence failed, or (counting changed rows)
     * the record was rewritten to the values it had; the run's epoch tells which.
     */
    private void writeInOneStatement(ActivityRecord record, long epoch) {
        MapSqlParameterSource params = JdbcValues.activityRecord(record).addValue("epoch", epoch);
        ParsedSql upsert = Objects.requireNonNull(fencedUpsert);
        int written = store.translated("write the reconciliation record of activity '" + record.activity() + "' in run '"
                + record.runId() + "'", () -> OwnTransaction.run(store.batch().getJdbcTemplate(),
                        connection -> OwnTransaction.update(connection, upsert, params)));
        if (written == 0 && !runningUnder(record.runId(), epoch)) {
            throw new OwnershipLostException("Run '" + record.runId() + "' is no longer held at epoch " + epoch
                    + ": its reconciliation record is not written");
        }
    }

    private boolean runningUnder(String runId, long epoch) {
        return store.translated("read the epoch of run '" + runId + "'", () -> store.jdbc().sql(store.resolve(RUNNING_EPOCH))
                .param("runId", runId).query(Long.class).optional().filter(held -> held == epoch).isPresent());
    }

    private JdbcClient.StatementSpec statement(String sql, ActivityRecord record) {
        return store.jdbc().sql(store.resolve(sql)).paramSource(JdbcValues.activityRecord(record));
    }
}
