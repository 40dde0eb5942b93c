package dev.weft.store.jdbc;

import dev.weft.store.ActivityRecord;
import dev.weft.store.Checkpoint;
import dev.weft.store.NewRun;
import dev.weft.store.RunOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a batch on PostgreSQL in as few statements as its content allows, each statement handling
 * every row of its kind at once: the rows travel as arrays and {@code unnest} turns them back into
 * rows (the SQL and why it is shaped so: {@link PostgresBatchStatements}).
 *
 * <ul>
 *   <li>a start alone, a step alone (with its reconciliation record or not), a reconciliation record
 *       alone, an end alone or an end with its last step: one statement of plain parameters ({@link PostgresLoneCheckpoints});
 *   <li>starts alone, or steps and starts together: one statement, in
 *       its own implicit transaction (one round trip, like a plain insert);
 *   <li>starts, steps and ends: two statements and the commit. The first creates the new runs,
 *       locks the others, writes the journal and locks the children and parents the ends touch; the
 *       second ends the runs accepted and cancels and wakes those children and parents;
 *   <li>anything else (signals, parks, children started, a write to a run created in the same
 *       batch): a statement per kind of row in one transaction.
 * </ul>
 */
final class PostgresCheckpointWriter implements CheckpointWriter {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RowStatements rows;
    private final PostgresBatchStatements sql;
    private final PostgresLoneCheckpoints lone;

    PostgresCheckpointWriter(JdbcTemplate jdbc, TransactionTemplate transactions, SqlTemplate sql, RowStatements rows) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.rows = rows;
        this.sql = new PostgresBatchStatements(sql);
        this.lone = new PostgresLoneCheckpoints(this.sql);
    }

    @Override
    public BitSet write(List<Checkpoint> batch) {
        if (BatchRows.loneStep(batch) || BatchRows.loneKeyedStep(batch)) {
            return inOwnTransaction(connection -> lone.stepAlone(connection, batch));
        }
        if (BatchRows.loneRecord(batch)) {
            return inOwnTransaction(connection -> lone.recordAlone(connection, batch));
        }
        if (BatchRows.loneEnd(batch)) {
            return inOwnTransaction(connection -> lone.endAlone(connection, batch.getFirst()));
        }
        if (BatchRows.loneStepEnd(batch)) {
            return inOwnTransaction(connection -> lone.stepEndAlone(connection, batch.getFirst()));
        }
        if (batch.size() == 1 && batch.getFirst().creates() != null) {
            return inOwnTransaction(connection -> lone.createAlone(connection, batch.getFirst()));
        }
        if (batch.stream().allMatch(checkpoint -> checkpoint.creates() != null)) {
            // a new run is the inserting transaction's own: nothing to lock
            return inOwnTransaction(connection -> createRuns(connection, batch));
        }
        if (!foldable(batch)) {
            return inTransaction(connection -> writeStatementByStatement(connection, batch));
        }
        if (batch.stream().allMatch(checkpoint -> checkpoint.outcome() == null)) {
            return inOwnTransaction(connection -> writeFolded(connection, batch));
        }
        return inTransaction(connection -> writeFolded(connection, batch));
    }

    /**
     * Whether the batch is starts, steps and ends only, none of them writing to a run the batch
     * creates (the lock of the statement that creates it cannot see it).
     */
    private static boolean foldable(List<Checkpoint> batch) {
        Set<String> created = new HashSet<>();
        for (Checkpoint checkpoint : batch) {
            if (checkpoint.creates() != null) {
                created.add(checkpoint.runId());
            }
        }
        return batch.stream().allMatch(c -> c.consumedSignal() == null && c.parkUntil() == null && c.startsChild() == null
                && c.enqueues() == null && (c.creates() != null || !created.contains(c.runId())));
    }

    /** Runs a write that is a single statement as its own transaction. */
    private BitSet inOwnTransaction(OwnTransaction.Write<BitSet> write) {
        return OwnTransaction.run(jdbc, write);
    }

    private BitSet inTransaction(OwnTransaction.Write<BitSet> write) {
        BitSet refused = transactions.execute(status -> jdbc.execute((ConnectionCallback<BitSet>) write::run));
        return refused == null ? new BitSet() : refused;
    }

    /** Starts, steps and ends: one statement, and a second one when the batch ends runs. */
    private BitSet writeFolded(Connection connection, List<Checkpoint> batch) throws SQLException {
        BitSet refused = BatchRows.afterTheirRunsEnd(batch);
        refused.or(BatchRows.repeatedCreations(batch));
        Locked locked = lockAndWriteJournal(connection, batch, refused, true);
        refused.or(refusals(batch, locked, true));
        BatchRows accepted = BatchRows.of(batch, refused);
        if (!accepted.endings().isEmpty()) {
            endRunsAndFamily(connection, accepted, locked);
        }
        return refused;
    }

    /** Anything a batch may hold: a statement per kind of row, in the transaction of the caller. */
    private BitSet writeStatementByStatement(Connection connection, List<Checkpoint> batch) throws SQLException {
        BitSet refused = BatchRows.afterTheirRunsEnd(batch);
        refused.or(createRuns(connection, batch));
        Locked locked = lockAndWriteJournal(connection, batch, refused, false);
        refused.or(refusals(batch, locked, false));
        BatchRows accepted = BatchRows.of(batch, refused);
        endRuns(connection, accepted.endings());
        rows.writeConsumedSignals(accepted.consuming());
        parkRuns(connection, accepted.parks());
        rows.writeChildren(accepted.children());
        rows.writeTasks(accepted.tasks());
        // children started in this batch are the transaction's own; the others were locked above
        update(connection, sql.cancelChildren, accepted.endings().stream().map(Checkpoint::runId).toList());
        update(connection, sql.wakeRuns, accepted.parentsToWake());
        return refused;
    }

    /**
     * What the lock statement found: the running runs' epochs, the runs it created, and the
     * children (with their parent) and parents it locked for the batch's ends.
     */
    private record Locked(Map<String, Long> runningEpochs, Set<String> created, Map<String, String> children,
            Set<String> parents) {
    }

    /**
     * The positions the lock statement refused: the checkpoints whose run is not running under
     * their epoch and, with {@code creationsIncluded}, the creations whose id was there already. A
     * creation is refused only for a duplicate id, decided by its insert.
     */
    private static BitSet refusals(List<Checkpoint> batch, Locked locked, boolean creationsIncluded) {
        BitSet refused = BatchRows.refusedByEpoch(batch, locked.runningEpochs());
        for (int i = 0; i < batch.size(); i++) {
            NewRun creation = batch.get(i).creates();
            if (creation != null) {
                refused.set(i, creationsIncluded && !locked.created().contains(creation.id()));
            }
        }
        return refused;
    }

    /** Inserts the batch's new runs; returns the positions of the creations refused because the id exists. */
    private BitSet createRuns(Connection connection, List<Checkpoint> batch) throws SQLException {
        BitSet duplicates = BatchRows.repeatedCreations(batch);
        List<NewRun> runs = newRuns(batch, duplicates);
        if (runs.isEmpty()) {
            return duplicates;
        }
        Set<String> created = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql.createRuns)) {
            bindCreations(connection, statement, runs);
            try (ResultSet inserted = statement.executeQuery()) {
                while (inserted.next()) {
                    created.add(inserted.getString(1));
                }
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            NewRun run = batch.get(i).creates();
            if (run != null && !created.contains(run.id())) {
                duplicates.set(i);
            }
        }
        return duplicates;
    }

    private static List<NewRun> newRuns(List<Checkpoint> batch, BitSet refused) {
        List<NewRun> runs = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            NewRun run = batch.get(i).creates();
            if (run != null && !refused.get(i)) {
                runs.add(run);
            }
        }
        return runs;
    }

    /** Binds the twelve arrays of the new runs, from the statement's first parameter on; answers the next one. */
    private static int bindCreations(Connection connection, PreparedStatement statement, List<NewRun> runs) throws SQLException {
        return new ArrayParameters<>(connection, statement, runs)
                .text(NewRun::id).text(NewRun::type).text(NewRun::input).text(NewRun::owner)
                .int8(run -> run.lease().truncatedTo(ChronoUnit.MICROS).toNanos() / 1_000)
                .instant(NewRun::createdAt).instant(NewRun::deadline).int4(NewRun::version)
                .text(NewRun::parentId).int8(NewRun::parentSeq).text(NewRun::parentClosePolicy).int4(NewRun::depth)
                .next();
    }

    /**
     * Locks the batch's runs and writes the journal rows of those running under their checkpoint's
     * epoch, in one statement; with {@code creating}, the same statement inserts the new runs.
     * When the batch ends runs, it also locks the children and parents those ends may touch.
     *
     * @param refused the positions refused so far: they write nothing
     */
    private Locked lockAndWriteJournal(Connection connection, List<Checkpoint> batch, BitSet refused, boolean creating)
            throws SQLException {
        BatchRows pending = BatchRows.of(batch, refused);
        List<NewRun> newRuns = creating ? newRuns(batch, refused) : List.of();
        // the batch is sorted by run id, so the runs are locked in that order; a run this batch
        // creates is the transaction's own already, and is locked only if the batch also writes to it
        Object[] runIds = batch.stream().filter(checkpoint -> checkpoint.creates() == null)
                .map(Checkpoint::runId).distinct().toArray();
        boolean oneRun = runIds.length == 1;
        boolean family = !pending.endings().isEmpty();
        boolean recording = !pending.recording().isEmpty();
        Locked locked = new Locked(new HashMap<>(), new HashSet<>(), new HashMap<>(), new HashSet<>());
        String statementSql = sql.lockAndWriteJournal(!newRuns.isEmpty(), oneRun, family, recording);
        try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
            int next = newRuns.isEmpty() ? 1 : bindCreations(connection, statement, newRuns);
            if (oneRun) {
                statement.setString(next++, (String) runIds[0]);
            } else {
                statement.setArray(next++, connection.createArrayOf("text", runIds));
            }
            next = new ArrayParameters<>(connection, statement, pending.journal()).from(next)
                    .text(BatchRows.JournalRow::runId).int8(BatchRows.JournalRow::epoch).int8(row -> row.entry().seq())
                    .text(row -> JdbcValues.wireName(row.entry().kind())).text(row -> row.entry().name())
                    .text(row -> JdbcValues.wireName(row.entry().state())).text(row -> row.entry().result())
                    .failure(row -> row.entry().failure())
                    .int4(row -> row.entry().attempt()).instant(row -> row.entry().dueAt())
                    .instant(row -> row.entry().scheduledAt())
                    .next();
            if (recording) {
                next = new ArrayParameters<>(connection, statement, pending.recording()).from(next)
                        .text(row -> row.record().runId()).int8(BatchRows.RecordRow::epoch).text(row -> row.record().activity())
                        .text(row -> row.record().keyDigest()).int8(row -> row.record().seq())
                        .text(row -> row.record().state().wireName()).int4(row -> row.record().attempt())
                        .text(row -> row.record().result())
                        .next();
            }
            if (family) {
                statement.setArray(next++, connection.createArrayOf("text", runIdsOf(pending.endings()).toArray()));
                statement.setArray(next, connection.createArrayOf("text", pending.parentsToWake().toArray()));
            }
            try (ResultSet found = statement.executeQuery()) {
                while (found.next()) {
                    String id = found.getString(2);
                    switch (found.getString(1)) {
                        case "run" -> {
                            if ("running".equals(found.getString(4))) {
                                locked.runningEpochs().put(id, found.getLong(3));
                            }
                        }
                        case "created" -> locked.created().add(id);
                        case "child" -> locked.children().put(id, found.getString(5));
                        case "parent" -> locked.parents().add(id);
                        default -> throw new IllegalStateException("unexpected row kind " + found.getString(1));
                    }
                }
            }
        }
        return locked;
    }

    /**
     * Ends the accepted runs, cancels their locked children (by close policy) and wakes their locked
     * parents, in one statement. A child or parent that itself ends in this batch is left alone, as
     * it would be once ended, since one statement cannot update a row twice.
     */
    private void endRunsAndFamily(Connection connection, BatchRows accepted, Locked locked) throws SQLException {
        Set<String> ending = runIdsOf(accepted.endings());
        Set<String> toCancel = new LinkedHashSet<>();
        locked.children().forEach((child, parent) -> {
            if (ending.contains(parent) && !ending.contains(child)) {
                toCancel.add(child);
            }
        });
        Set<String> toWake = new LinkedHashSet<>();
        for (String parent : accepted.parentsToWake()) {
            // a cancelled run is woken by its cancellation already
            if (locked.parents().contains(parent) && !ending.contains(parent) && !toCancel.contains(parent)) {
                toWake.add(parent);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.endRunsAndFamily)) {
            int next = bindEndings(connection, statement, accepted.endings());
            statement.setArray(next++, connection.createArrayOf("text", toCancel.stream().sorted().toArray()));
            statement.setArray(next, connection.createArrayOf("text", toWake.stream().sorted().toArray()));
            statement.executeQuery().close();
        }
    }

    private static Set<String> runIdsOf(List<Checkpoint> checkpoints) {
        Set<String> ids = new LinkedHashSet<>();
        checkpoints.forEach(checkpoint -> ids.add(checkpoint.runId()));
        return ids;
    }

    private void endRuns(Connection connection, List<Checkpoint> endings) throws SQLException {
        if (endings.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.endRuns)) {
            bindEndings(connection, statement, endings);
            statement.executeUpdate();
        }
    }

    /** Binds the ten arrays of the endings, from the statement's first parameter on; answers the next one. */
    private static int bindEndings(Connection connection, PreparedStatement statement, List<Checkpoint> endings)
            throws SQLException {
        return new ArrayParameters<>(connection, statement, endings).text(Checkpoint::runId).int8(Checkpoint::epoch)
                .text(ending -> outcome(ending).status().wireName()).text(ending -> outcome(ending).result())
                .failure(ending -> outcome(ending).failure()).instant(ending -> outcome(ending).completedAt())
                .next();
    }

    private void parkRuns(Connection connection, List<Checkpoint> parks) throws SQLException {
        if (parks.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.parkRuns)) {
            new ArrayParameters<>(connection, statement, parks).text(Checkpoint::runId).int8(Checkpoint::epoch).instant(Checkpoint::parkUntil);
            statement.executeUpdate();
        }
    }

    private static void update(Connection connection, String sql, List<String> runIds) throws SQLException {
        if (runIds.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", runIds.toArray()));
            statement.executeUpdate();
        }
    }

    private static RunOutcome outcome(Checkpoint ending) {
        return Objects.requireNonNull(ending.outcome());
    }
}
