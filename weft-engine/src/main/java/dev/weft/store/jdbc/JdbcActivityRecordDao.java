package dev.weft.store.jdbc;

import dev.weft.failure.OwnershipLostException;
import dev.weft.store.ActivityRecord;
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

    private static final String RUNNING_EPOCH = "select epoch from %PREFIX%run where id = :runId and status = 'running'";

    private final StoreTemplate store;
    /** The dialect's single fenced statement (parsed once), or {@code null} where the record is written in a locking transaction. */
    private final @Nullable ParsedSql fencedUpsert;

    JdbcActivityRecordDao(StoreTemplate store) {
        this.store = store;
        String upsert = store.sql().dialect().fencedActivityRecordUpsert(store.sql().tablePrefix() + "activity_record",
                store.sql().tablePrefix() + "run");
        this.fencedUpsert = upsert == null ? null : NamedParameterUtils.parseSqlStatement(upsert);
    }

    Optional<ActivityRecord> find(String runId, String activity, String keyDigest) {
        return store.translated("read the reconciliation record of activity '" + activity + "' in run '" + runId + "'",
                () -> store.jdbc().sql(store.resolve(SELECT)).param("runId", runId).param("activity", activity).param("digest", keyDigest)
                        .query((rs, row) -> new ActivityRecord(rs.getString("run_id"), rs.getString("activity"), rs.getString("key_digest"),
                                rs.getLong("seq"), ActivityRecord.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                                rs.getInt("attempt"), rs.getString("result")))
                        .optional());
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
        MapSqlParameterSource params = parameters(record).addValue("epoch", epoch);
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

    private static MapSqlParameterSource parameters(ActivityRecord record) {
        return new MapSqlParameterSource().addValue("runId", record.runId()).addValue("activity", record.activity())
                .addValue("digest", record.keyDigest()).addValue("seq", record.seq()).addValue("state", record.state().wireName())
                .addValue("attempt", record.attempt()).addValue("result", record.result(), java.sql.Types.VARCHAR);
    }

    private JdbcClient.StatementSpec statement(String sql, ActivityRecord record) {
        return store.jdbc().sql(store.resolve(sql)).paramSource(parameters(record));
    }
}
