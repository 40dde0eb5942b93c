package dev.weft.store.jdbc;

import dev.weft.store.Checkpoint;
import java.sql.Statement;
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
 * Writes a batch in one transaction with one JDBC batch per statement, on any database. The fence
 * statement touches a run only while it is running under the checkpoint's epoch, which also locks
 * the row until the commit. A checkpoint whose fence changed no row writes nothing.
 */
final class PortableCheckpointWriter implements CheckpointWriter {

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

    PortableCheckpointWriter(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, SqlTemplate sql, RowStatements rows) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.values = new JdbcValues(sql.dialect());
        this.rows = rows;
        this.fence = sql.resolve(FENCE);
        this.fencedEpochs = sql.resolve(FENCED_EPOCHS);
        this.insertRunIfAbsent = sql.resolve(JdbcWorkflowStore.INSERT_RUN_IF_ABSENT);
    }

    @Override
    public BitSet write(List<Checkpoint> batch) {
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
