package dev.weft.store.jdbc;

import dev.weft.store.Checkpoint;
import java.util.BitSet;
import java.util.List;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a batch of checkpoints (ordered by run id, so that every writer locks runs in the same
 * order) as one atomic unit. Ownership is decided by the database: a checkpoint is written only
 * while its run is running under the checkpoint's epoch, and the run's row stays locked until the
 * commit, so a concurrent claim waits for the batch and then sees the new epoch.
 */
sealed interface CheckpointWriter permits PortableCheckpointWriter, PostgresCheckpointWriter {

    /**
     * @return the positions in {@code batch} of the checkpoints refused: lost ownership, a run
     *     that ended earlier in the batch, or a creation whose id exists
     * @throws org.springframework.dao.DataAccessException when the write failed; nothing was written
     */
    BitSet write(List<Checkpoint> batch);

    /** The writer for the database of {@code sql}: PostgreSQL writes each table with one statement per batch. */
    static CheckpointWriter forDialect(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, SqlTemplate sql) {
        RowStatements rows = new RowStatements(jdbc, sql);
        return sql.dialect() == JdbcDialect.POSTGRESQL
                ? new PostgresCheckpointWriter(jdbc.getJdbcTemplate(), transactions, sql, rows)
                : new PortableCheckpointWriter(jdbc, transactions, sql, rows);
    }
}
