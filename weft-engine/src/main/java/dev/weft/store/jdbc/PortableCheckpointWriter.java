package dev.weft.store.jdbc;

import dev.weft.store.Checkpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a batch in one transaction with one JDBC batch per statement, on any database. The fence
 * statement touches a run only while it is running under the checkpoint's epoch, which also locks
 * the row until the commit. A checkpoint whose fence changed no row writes nothing. A start alone,
 * and on MariaDB/MySQL a step alone or a reconciliation record alone, is a single statement
 * without a transaction around it.
 */
final class PortableCheckpointWriter implements CheckpointWriter {

    private static final String RUNNING_EPOCH = "select epoch from %PREFIX%run where id = ? and status = 'running'";

    private static final String FENCE = """
            update %PREFIX%run set updated_at = %NOW%
            where id = :runId and epoch = :epoch and status = 'running'""";

    // Only read when the driver answers a batch without row counts (MariaDB's bulk protocol):
    // epochs only rise and runs never restart, so a run that is running under the checkpoint's
    // epoch right after the fence is one the fence matched and locked.
    private static final String FENCED_EPOCHS = """
            select id, epoch from %PREFIX%run where id in (:runIds) and status = 'running'""";

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final JdbcValues values;
    private final RowStatements rows;
    private final String fence;
    private final String fencedEpochs;
    private final String insertRunIfAbsent;
    private final String runningEpoch;
    // parsed once: the statements a lone start and a lone step send, each on its own connection
    private final ParsedSql insertRunIfAbsentParsed;
    private final @Nullable ParsedSql fencedJournalUpsert;
    private final @Nullable ParsedSql fencedRecordUpsert;
    private final ParsedSql recordUpsert;

    PortableCheckpointWriter(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, SqlTemplate sql, RowStatements rows) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.values = new JdbcValues(sql.dialect());
        this.rows = rows;
        this.fence = sql.resolve(FENCE);
        this.fencedEpochs = sql.resolve(FENCED_EPOCHS);
        this.insertRunIfAbsent = sql.resolve(JdbcRunDao.INSERT_RUN_IF_ABSENT);
        this.runningEpoch = sql.resolve(RUNNING_EPOCH);
        this.insertRunIfAbsentParsed = NamedParameterUtils.parseSqlStatement(insertRunIfAbsent);
        String fencedUpsert = sql.fencedJournalUpsert();
        this.fencedJournalUpsert = fencedUpsert == null ? null : NamedParameterUtils.parseSqlStatement(fencedUpsert);
        String recordUpsert = sql.fencedActivityRecordUpsert();
        this.fencedRecordUpsert = recordUpsert == null ? null : NamedParameterUtils.parseSqlStatement(recordUpsert);
        this.recordUpsert = NamedParameterUtils.parseSqlStatement(sql.activityRecordUpsert());
    }

    @Override
    public BitSet write(List<Checkpoint> batch) {
        // Alone, a step (where the database can fence it in one statement) or a start is one
        // statement without a transaction around it: a transaction in READ COMMITTED costs six
        // round trips of its own here (isolation and auto-commit set and reset, and the commit).
        if (fencedJournalUpsert != null && BatchRows.loneStep(batch)) {
            return OwnTransaction.run(jdbc.getJdbcTemplate(), connection -> stepAlone(connection, batch.getFirst()));
        }
        if (fencedRecordUpsert != null && BatchRows.loneRecord(batch)) {
            return OwnTransaction.run(jdbc.getJdbcTemplate(), connection -> recordAlone(connection, batch.getFirst()));
        }
        if (fencedJournalUpsert != null && fencedRecordUpsert != null && BatchRows.loneKeyedStep(batch)) {
            // a keyed step's entry with its records: the fenced entry, then the records, in one
            // transaction of the database's own (no isolation set and reset around it)
            return OwnTransaction.runBetweenStartAndCommit(jdbc.getJdbcTemplate(),
                    connection -> keyedStepAlone(connection, batch.getFirst()));
        }
        if (batch.size() == 1 && batch.getFirst().creates() != null) {
            return OwnTransaction.run(jdbc.getJdbcTemplate(), connection -> createAlone(connection, batch.getFirst()));
        }
        BitSet refused = transactions.execute(status -> writeInTransaction(batch));
        return refused == null ? new BitSet() : refused;
    }

    private BitSet writeInTransaction(List<Checkpoint> batch) {
        BitSet refused = create(batch);
        refused.or(fence(batch));
        refused.or(BatchRows.afterTheirRunsEnd(batch));
        rows.writeAll(BatchRows.of(batch, refused));
        return refused;
    }

    private BitSet stepAlone(Connection connection, Checkpoint step) throws SQLException {
        MapSqlParameterSource params = values.journalEntry(step.runId(), step.entries().getFirst()).addValue("epoch", step.epoch());
        BitSet refused = new BitSet();
        if (OwnTransaction.update(connection, Objects.requireNonNull(fencedJournalUpsert), params) == 0) {
            // The fence failed; or a driver counting changed rows (MariaDB's useAffectedRows) saw the
            // entry rewritten to the very values it had, updated_at included (same microsecond). The
            // run tells which: epochs only rise, so running under this epoch now means then too.
            refused.set(0, !runningUnder(connection, step));
        }
        return refused;
    }

    /**
     * A keyed step alone: its entry, fenced (the statement locks the run's row until the commit),
     * then its records (its own completed one, and the next step's started one that waited for it)
     * as one batch. An entry refused writes no record.
     */
    private BitSet keyedStepAlone(Connection connection, Checkpoint step) throws SQLException {
        BitSet refused = stepAlone(connection, step);
        if (refused.get(0)) {
            return refused;
        }
        // the run's row is this transaction's now, locked by the fence: the records need none of their own
        OwnTransaction.batch(connection, recordUpsert, step.records().stream().map(JdbcValues::activityRecord).toList());
        return refused;
    }

    /** A reconciliation record alone (a keyed step's {@code started} record at concurrency 1): one fenced statement. */
    private BitSet recordAlone(Connection connection, Checkpoint recording) throws SQLException {
        MapSqlParameterSource params = JdbcValues.activityRecord(recording.records().getFirst())
                .addValue("epoch", recording.epoch());
        BitSet refused = new BitSet();
        if (OwnTransaction.update(connection, Objects.requireNonNull(fencedRecordUpsert), params) == 0) {
            // as for a step alone: no row changed is a failed fence, or a rewrite to the same values
            refused.set(0, !runningUnder(connection, recording));
        }
        return refused;
    }

    private boolean runningUnder(Connection connection, Checkpoint checkpoint) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(runningEpoch)) {
            query.setString(1, checkpoint.runId());
            try (ResultSet found = query.executeQuery()) {
                return found.next() && found.getLong(1) == checkpoint.epoch();
            }
        }
    }

    private BitSet createAlone(Connection connection, Checkpoint creation) throws SQLException {
        BitSet refused = new BitSet();
        refused.set(0, OwnTransaction.update(connection, insertRunIfAbsentParsed,
                values.newRun(Objects.requireNonNull(creation.creates()))) == 0);
        return refused;
    }

    /**
     * Inserts the runs the batch creates, one statement each so that every driver reports whether
     * it inserted (a run with that id may exist already: that creation is refused, the rest of the
     * batch goes on). One commit for many starts is the point; the statements are cheap.
     */
    private BitSet create(List<Checkpoint> batch) {
        BitSet duplicates = BatchRows.repeatedCreations(batch);
        for (int i = 0; i < batch.size(); i++) {
            Checkpoint checkpoint = batch.get(i);
            if (checkpoint.creates() != null && !duplicates.get(i) && jdbc.update(insertRunIfAbsent, values.newRun(checkpoint.creates())) == 0) {
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
        return BatchRows.refusedByEpoch(batch, epochs);
    }
}
