package dev.weft.store.jdbc;

import dev.weft.store.Checkpoint;
import dev.weft.store.NewRun;
import dev.weft.store.NewTask;
import dev.weft.store.RunOutcome;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * The statements of a batch's rows in their portable form: one statement per row, sent as one JDBC
 * batch per kind. Every database runs them; PostgreSQL's writer uses them only for the rare kinds.
 */
final class RowStatements {

    // A cancellation request stays recorded after the end: readers see that a cancelled run was asked to cancel.
    private static final String END_RUN = """
            update %PREFIX%run set status = :status, result = :result, error_type = :errorType,
              error_message = :errorMessage, error_category = :errorCategory, error_code = :errorCode,
              error_stack = :errorStack, completed_at = :completedAt, owner = null, lease_expires_at = null,
              updated_at = %NOW%
            where id = :runId and epoch = :epoch and status = 'running'""";

    private static final String CONSUME_SIGNAL = """
            update %PREFIX%signal set consumed_seq = :seq where id = :signalId and consumed_seq is null""";

    // A wake-up requested meanwhile (a signal sent while the run was deciding to park) leaves the run due at once.
    private static final String PARK_RUN = """
            update %PREFIX%run set owner = null, lease_expires_at = null,
              wake_at = case when wake_requested then null else :wakeAt end, updated_at = %NOW%
            where id = :runId and epoch = :epoch and status = 'running'""";

    // A child's end wakes its parent, which may wait for it (parked, or in memory on another node).
    private static final String WAKE_PARENT = """
            update %PREFIX%run set wake_requested = true, wake_at = null, updated_at = %NOW%
            where id = :parentId and status = 'running'""";

    // A parent's end carries out the close policy of its children in the same transaction, so a
    // crash right after it cannot leave a child running that should have been cancelled.
    private static final String CANCEL_CHILDREN = """
            update %PREFIX%run set cancel_requested = true, wake_requested = true, wake_at = null, updated_at = %NOW%
            where parent_id = :runId and status = 'running' and parent_close_policy = 'request_cancel'""";

    // claim_expires_ms stays null until a worker claims the task; enqueue order is the identity's
    private static final String INSERT_TASK = """
            insert into %PREFIX%task (run_id, seq, attempt, queue, activity, input, priority, fairness_key,
              visibility_timeout_ms, enqueued_ms, claims)
            values (:runId, :seq, :attempt, :queue, :activity, :input, :priority, :fairnessKey,
              :visibilityTimeoutMs, :enqueuedMs, 0)""";

    private final NamedParameterJdbcTemplate jdbc;
    private final JdbcValues values;
    private final String journalUpsert;
    private final String endRun;
    private final String consumeSignal;
    private final String parkRun;
    private final String wakeParent;
    private final String cancelChildren;
    private final String insertRun;
    private final String recordUpsert;
    private final String insertTask;

    RowStatements(NamedParameterJdbcTemplate jdbc, SqlTemplate sql) {
        this.jdbc = jdbc;
        this.values = new JdbcValues(sql.dialect());
        this.journalUpsert = sql.journalUpsert();
        this.endRun = sql.resolve(END_RUN);
        this.consumeSignal = sql.resolve(CONSUME_SIGNAL);
        this.parkRun = sql.resolve(PARK_RUN);
        this.wakeParent = sql.resolve(WAKE_PARENT);
        this.cancelChildren = sql.resolve(CANCEL_CHILDREN);
        this.insertRun = sql.resolve(JdbcRunDao.INSERT_RUN);
        this.recordUpsert = sql.activityRecordUpsert();
        this.insertTask = sql.resolve(INSERT_TASK);
    }

    /** Writes every kind of row of {@code rows}. */
    void writeAll(BatchRows rows) {
        batch(journalUpsert, rows.journal(), row -> values.journalEntry(row.runId(), row.entry()));
        batch(endRun, rows.endings(), this::ending);
        writeConsumedSignals(rows.consuming());
        batch(parkRun, rows.parks(), park -> values.instant(fenced(park), "wakeAt", park.parkUntil()));
        writeChildren(rows.children());
        writeTasks(rows.tasks());
        batch(cancelChildren, rows.endings(), ending -> new MapSqlParameterSource("runId", ending.runId()));
        batch(wakeParent, rows.parentsToWake(), parentId -> new MapSqlParameterSource("parentId", parentId));
        batch(recordUpsert, rows.recording(), row -> JdbcValues.activityRecord(row.record()));
    }

    void writeConsumedSignals(List<Checkpoint> consuming) {
        batch(consumeSignal, consuming, checkpoint -> new MapSqlParameterSource()
                .addValue("signalId", checkpoint.consumedSignal())
                .addValue("seq", checkpoint.entries().getLast().seq()));
    }

    void writeChildren(List<NewRun> children) {
        batch(insertRun, children, values::newRun);
    }

    void writeTasks(List<NewTask> tasks) {
        batch(insertTask, tasks, task -> {
            MapSqlParameterSource params = new MapSqlParameterSource()
                    .addValue("runId", task.runId()).addValue("seq", task.seq()).addValue("attempt", task.attempt())
                    .addValue("queue", task.queue()).addValue("activity", task.activity())
                    .addValue("priority", task.priority()).addValue("fairnessKey", task.fairnessKey())
                    .addValue("visibilityTimeoutMs", task.visibilityTimeout().toMillis())
                    .addValue("enqueuedMs", task.enqueuedAt().toEpochMilli());
            return JdbcValues.text(params, "input", task.inputJson());
        });
    }

    private <T> void batch(String statement, List<T> rows, Function<T, SqlParameterSource> params) {
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(statement, rows.stream().map(params).toArray(SqlParameterSource[]::new));
        }
    }

    private static MapSqlParameterSource fenced(Checkpoint checkpoint) {
        return new MapSqlParameterSource().addValue("runId", checkpoint.runId()).addValue("epoch", checkpoint.epoch());
    }

    private SqlParameterSource ending(Checkpoint checkpoint) {
        RunOutcome outcome = checkpoint.outcome();
        MapSqlParameterSource params = fenced(checkpoint).addValue("status", outcome.status().wireName());
        JdbcValues.text(params, "result", outcome.result());
        JdbcValues.failure(params, outcome.failure());
        return values.instant(params, "completedAt", outcome.completedAt());
    }
}
