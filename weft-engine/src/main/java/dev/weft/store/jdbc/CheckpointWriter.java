package dev.weft.store.jdbc;

import dev.weft.store.Checkpoint;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunOutcome;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a batch of checkpoints in one transaction with one JDBC batch per statement. Ownership is
 * decided by the database: the fence statement touches a run only while it is running under the
 * checkpoint's epoch, which also locks the row until the commit, so a concurrent claim waits for
 * this transaction and then sees the new epoch. A checkpoint whose fence changed no row writes
 * nothing.
 */
final class CheckpointWriter {

    private static final String FENCE = """
            update %PREFIX%run set updated_at = %NOW%
            where id = :runId and epoch = :epoch and status = 'running'""";

    // Only read when the driver answers a batch without row counts (MariaDB's bulk protocol):
    // epochs only rise and runs never restart, so a run that is running under the checkpoint's
    // epoch right after the fence is one the fence matched and locked.
    private static final String FENCED_EPOCHS = """
            select id, epoch from %PREFIX%run where id in (:runIds) and status = 'running'""";

    private static final String END_RUN = """
            update %PREFIX%run set status = :status, result = :result, error_type = :errorType,
              error_message = :errorMessage, error_category = :errorCategory, error_code = :errorCode,
              error_stack = :errorStack, completed_at = :completedAt, owner = null, lease_expires_at = null,
              cancel_requested = false, updated_at = %NOW%
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

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final JdbcValues values;
    private final String fence;
    private final String fencedEpochs;
    private final String endRun;
    private final String journalUpsert;
    private final String consumeSignal;
    private final String parkRun;
    private final String wakeParent;
    private final String cancelChildren;
    private final String insertRun;
    private final String insertRunIfAbsent;

    CheckpointWriter(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, SqlTemplate sql) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.values = new JdbcValues(sql.dialect());
        this.fence = sql.resolve(FENCE);
        this.fencedEpochs = sql.resolve(FENCED_EPOCHS);
        this.endRun = sql.resolve(END_RUN);
        this.journalUpsert = sql.journalUpsert();
        this.consumeSignal = sql.resolve(CONSUME_SIGNAL);
        this.parkRun = sql.resolve(PARK_RUN);
        this.wakeParent = sql.resolve(WAKE_PARENT);
        this.cancelChildren = sql.resolve(CANCEL_CHILDREN);
        this.insertRun = sql.resolve(JdbcWorkflowStore.INSERT_RUN);
        this.insertRunIfAbsent = sql.resolve(JdbcWorkflowStore.INSERT_RUN_IF_ABSENT);
    }

    /**
     * Writes {@code batch} (ordered by run id, so every transaction locks runs in the same order) in
     * one transaction.
     *
     * @return the positions in {@code batch} of the checkpoints refused for lost ownership
     * @throws org.springframework.dao.DataAccessException when the transaction failed; nothing was written
     */
    BitSet write(List<Checkpoint> batch) {
        BitSet refused = transactions.execute(status -> writeInTransaction(batch));
        return refused == null ? new BitSet() : refused;
    }

    private BitSet writeInTransaction(List<Checkpoint> batch) {
        BitSet duplicates = create(batch);
        BitSet refused = fence(batch);
        refused.or(duplicates);
        refuseAfterEnd(batch, refused);
        List<SqlParameterSource> entries = new ArrayList<>();
        List<SqlParameterSource> endings = new ArrayList<>();
        List<SqlParameterSource> consumed = new ArrayList<>();
        List<SqlParameterSource> parks = new ArrayList<>();
        List<SqlParameterSource> children = new ArrayList<>();
        List<SqlParameterSource> parents = new ArrayList<>();
        List<SqlParameterSource> closing = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (refused.get(i)) {
                continue;
            }
            Checkpoint checkpoint = batch.get(i);
            for (JournalEntry entry : checkpoint.entries()) {
                entries.add(values.journalEntry(checkpoint.runId(), entry));
            }
            if (checkpoint.outcome() != null) {
                endings.add(ending(checkpoint, checkpoint.outcome()));
                closing.add(new MapSqlParameterSource("runId", checkpoint.runId()));
                if (checkpoint.outcome().parentId() != null) {
                    parents.add(new MapSqlParameterSource("parentId", checkpoint.outcome().parentId()));
                }
            }
            if (checkpoint.startsChild() != null) {
                children.add(values.newRun(checkpoint.startsChild()));
            }
            if (checkpoint.consumedSignal() != null) {
                consumed.add(new MapSqlParameterSource().addValue("signalId", checkpoint.consumedSignal())
                        .addValue("seq", checkpoint.entries().getFirst().seq()));
            }
            if (checkpoint.parkUntil() != null) {
                parks.add(values.instant(new MapSqlParameterSource().addValue("runId", checkpoint.runId())
                        .addValue("epoch", checkpoint.epoch()), "wakeAt", checkpoint.parkUntil()));
            }
        }
        if (!entries.isEmpty()) {
            jdbc.batchUpdate(journalUpsert, entries.toArray(SqlParameterSource[]::new));
        }
        if (!endings.isEmpty()) {
            jdbc.batchUpdate(endRun, endings.toArray(SqlParameterSource[]::new));
        }
        if (!consumed.isEmpty()) {
            jdbc.batchUpdate(consumeSignal, consumed.toArray(SqlParameterSource[]::new));
        }
        if (!parks.isEmpty()) {
            jdbc.batchUpdate(parkRun, parks.toArray(SqlParameterSource[]::new));
        }
        if (!children.isEmpty()) {
            jdbc.batchUpdate(insertRun, children.toArray(SqlParameterSource[]::new));
        }
        if (!closing.isEmpty()) {
            jdbc.batchUpdate(cancelChildren, closing.toArray(SqlParameterSource[]::new));
        }
        if (!parents.isEmpty()) {
            jdbc.batchUpdate(wakeParent, parents.toArray(SqlParameterSource[]::new));
        }
        return refused;
    }

    /**
     * Inserts the runs the batch creates, one statement each so that every driver reports whether
     * it inserted (a run with that id may exist already: that creation is refused, the rest of the
     * batch goes on). One commit for many starts is the point; the statements are cheap.
     */
    private BitSet create(List<Checkpoint> batch) {
        BitSet duplicates = new BitSet();
        for (int i = 0; i < batch.size(); i++) {
            Checkpoint checkpoint = batch.get(i);
            if (checkpoint.creates() != null && jdbc.update(insertRunIfAbsent, values.newRun(checkpoint.creates())) == 0) {
                duplicates.set(i);
            }
        }
        return duplicates;
    }

    private BitSet fence(List<Checkpoint> batch) {
        SqlParameterSource[] params = batch.stream()
                .map(c -> new MapSqlParameterSource().addValue("runId", c.runId()).addValue("epoch", c.epoch()))
                .toArray(SqlParameterSource[]::new);
        int[] counts = jdbc.batchUpdate(fence, params);
        BitSet refused = new BitSet();
        boolean countsKnown = true;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == Statement.SUCCESS_NO_INFO) {
                countsKnown = false;
            } else if (counts[i] == 0) {
                refused.set(i);
            }
        }
        return countsKnown ? refused : fenceFromEpochs(batch);
    }

    private BitSet fenceFromEpochs(List<Checkpoint> batch) {
        Set<String> runIds = new HashSet<>();
        batch.forEach(c -> runIds.add(c.runId()));
        Map<String, Long> epochs = new HashMap<>();
        jdbc.query(fencedEpochs, Map.of("runIds", runIds), rs -> {
            epochs.put(rs.getString("id"), rs.getLong("epoch"));
        });
        BitSet refused = new BitSet();
        for (int i = 0; i < batch.size(); i++) {
            Long epoch = epochs.get(batch.get(i).runId());
            if (epoch == null || epoch != batch.get(i).epoch()) {
                refused.set(i);
            }
        }
        return refused;
    }

    /** A run that ends in this batch takes no later checkpoint of the same batch: it has no owner any more. */
    private static void refuseAfterEnd(List<Checkpoint> batch, BitSet refused) {
        Set<String> ended = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            if (refused.get(i)) {
                continue;
            }
            Checkpoint checkpoint = batch.get(i);
            if (ended.contains(checkpoint.runId())) {
                refused.set(i);
            } else if (checkpoint.outcome() != null) {
                ended.add(checkpoint.runId());
            }
        }
    }

    private SqlParameterSource ending(Checkpoint checkpoint, RunOutcome outcome) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("runId", checkpoint.runId())
                .addValue("epoch", checkpoint.epoch())
                .addValue("status", outcome.status().wireName());
        JdbcValues.text(params, "result", outcome.result());
        JdbcValues.failure(params, outcome.failure());
        return values.instant(params, "completedAt", outcome.completedAt());
    }
}
