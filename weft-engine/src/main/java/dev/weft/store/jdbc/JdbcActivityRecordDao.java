package dev.weft.store.jdbc;

import dev.weft.failure.OwnershipLostException;
import dev.weft.store.ActivityRecord;
import java.util.Locale;
import java.util.Optional;

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

    private final StoreTemplate store;

    JdbcActivityRecordDao(StoreTemplate store) {
        this.store = store;
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

    private org.springframework.jdbc.core.simple.JdbcClient.StatementSpec statement(String sql, ActivityRecord record) {
        return store.jdbc().sql(store.resolve(sql)).param("runId", record.runId()).param("activity", record.activity())
                .param("digest", record.keyDigest()).param("seq", record.seq()).param("state", record.state().wireName())
                .param("attempt", record.attempt()).param("result", record.result());
    }
}
