package dev.weft.store.jdbc;

import dev.weft.store.Checkpoint;
import dev.weft.FailureInfo;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a batch on PostgreSQL with one statement per table, whatever the batch's size: the rows
 * travel as arrays and {@code unnest} turns them back into rows. The fence and the journal are one
 * statement, so a batch of steps alone (the common case) is a single statement in its own implicit
 * transaction: one round trip, like a plain insert and commit. A batch of starts alone is one insert.
 */
final class PostgresCheckpointWriter implements CheckpointWriter {

    // How every statement here finds rows of the run table: one row per array element, through a
    // LATERAL subquery with FOR UPDATE, which the planner cannot turn into a join. Its only sensible
    // plan is an index lookup per element, so the plan PostgreSQL caches for the prepared statement
    // stays right whatever the table's statistics: a plain join with unnest, cached while the table
    // was small or never analyzed (autovacuum off), scans the whole table and keeps doing so as it
    // grows. Rows are locked in the array's order, run-id order, as lease renewal locks them.

    // Locks the batch's runs, then writes the journal rows of the checkpoints whose run is running
    // under their epoch. The main select answers each run's status and epoch.
    private static final String LOCK_AND_WRITE_JOURNAL = """
            with locked as (%LOCK%), written as (
              insert into %PREFIX%journal (run_id, seq, kind, name, state, result, error_type, error_message,
                error_category, error_code, error_stack, attempt, due_at, scheduled_at, updated_at)
              select e.run_id, e.seq, e.kind, e.name, e.state, e.result, e.error_type, e.error_message, e.error_category,
                e.error_code, e.error_stack, e.attempt, e.due_at, e.scheduled_at, now()
              from unnest(?::text[], ?::int8[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                ?::text[], ?::text[], ?::text[], ?::int4[], ?::text[]::timestamptz[], ?::text[]::timestamptz[])
                as e(run_id, epoch, seq, kind, name, state, result, error_type, error_message, error_category,
                  error_code, error_stack, attempt, due_at, scheduled_at)
              join locked on locked.id = e.run_id and locked.epoch = e.epoch and locked.status = 'running'
              on conflict (run_id, seq) do update set kind = excluded.kind, name = excluded.name, state = excluded.state,
                result = excluded.result, error_type = excluded.error_type, error_message = excluded.error_message,
                error_category = excluded.error_category, error_code = excluded.error_code,
                error_stack = excluded.error_stack, attempt = excluded.attempt, due_at = excluded.due_at,
                scheduled_at = excluded.scheduled_at, updated_at = excluded.updated_at
            )
            select id, epoch, status from locked""";

    // One step of one run (every batch at concurrency 1) binds its values as plain parameters:
    // encoding and parsing fifteen one-element arrays costs more than the statement saves.
    private static final String LOCK_ONE_AND_WRITE_ONE = """
            with locked as (%LOCK%), written as (
              insert into %PREFIX%journal (run_id, seq, kind, name, state, result, error_type, error_message,
                error_category, error_code, error_stack, attempt, due_at, scheduled_at, updated_at)
              select locked.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?::timestamptz, now()
              from locked where locked.epoch = ? and locked.status = 'running'
              on conflict (run_id, seq) do update set kind = excluded.kind, name = excluded.name, state = excluded.state,
                result = excluded.result, error_type = excluded.error_type, error_message = excluded.error_message,
                error_category = excluded.error_category, error_code = excluded.error_code,
                error_stack = excluded.error_stack, attempt = excluded.attempt, due_at = excluded.due_at,
                scheduled_at = excluded.scheduled_at, updated_at = excluded.updated_at
            )
            select id, epoch, status from locked""";

    private static final String LOCK_MANY = """
            select r.id, r.epoch, r.status from unnest(?::text[]) as ids(id)
              cross join lateral (select id, epoch, status from %PREFIX%run t where t.id = ids.id for update) r""";

    // A batch of one run (every batch at concurrency 1) locks it by primary key: the cheapest
    // statement, and a point lookup's cached plan is the index whatever the statistics.
    private static final String LOCK_ONE = "select id, epoch, status from %PREFIX%run where id = ? for update";

    // A run with the id already there inserts nothing: only the ids returned were created.
    private static final String CREATE_RUNS = """
            insert into %PREFIX%run (id, type, status, input, owner, epoch, lease_expires_at, claimed_at, cancel_requested,
              created_at, updated_at, deadline_at, version, parent_id, parent_seq, parent_close_policy, depth)
            select n.id, n.type, 'running', n.input, n.owner, 1, %NEW_LEASE%, now(), false, n.created_at, now(),
              n.deadline_at, n.version, n.parent_id, n.parent_seq, n.parent_close_policy, n.depth
            from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int8[], ?::text[]::timestamptz[],
              ?::text[]::timestamptz[], ?::int4[], ?::text[], ?::int8[], ?::text[], ?::int4[])
              as n(id, type, input, owner, lease_micros, created_at, deadline_at, version, parent_id, parent_seq,
                parent_close_policy, depth)
            on conflict (id) do nothing
            returning id""";

    // Endings and parks touch only runs this batch has locked and found running under the epoch.
    private static final String END_RUNS = """
            update %PREFIX%run r set status = e.status, result = e.result, error_type = e.error_type,
              error_message = e.error_message, error_category = e.error_category, error_code = e.error_code,
              error_stack = e.error_stack, completed_at = e.completed_at, owner = null, lease_expires_at = null,
              cancel_requested = false, updated_at = now()
            from unnest(?::text[], ?::int8[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
              ?::text[]::timestamptz[])
              as e(id, epoch, status, result, error_type, error_message, error_category, error_code, error_stack, completed_at)
              cross join lateral (select ctid as row_id from %PREFIX%run t where t.id = e.id and t.epoch = e.epoch for update) found
            where r.ctid = found.row_id""";

    // A batch that is one run's end alone (every end at concurrency 1) is one statement: the update
    // of the run's row is its own fence (no row: not running under the epoch, refused), and the
    // children it cancels and the parent it wakes are updated only if it ended. Its lock order is
    // the batch's: the run first, then its children, then its parent.
    private static final String END_ONE = """
            with ended as (
              update %PREFIX%run set status = ?, result = ?, error_type = ?, error_message = ?, error_category = ?,
                error_code = ?, error_stack = ?, completed_at = ?::timestamptz, owner = null, lease_expires_at = null,
                cancel_requested = false, updated_at = now()
              where id = ? and epoch = ? and status = 'running'
              returning id
            ), children as (
              update %PREFIX%run r set cancel_requested = true, wake_requested = true, wake_at = null, updated_at = now()
              from ended cross join lateral (select ctid as row_id from %PREFIX%run t
                where t.parent_id = ended.id and t.status = 'running' and t.parent_close_policy = 'request_cancel' for update) found
              where r.ctid = found.row_id
            ), parent as (
              update %PREFIX%run set wake_requested = true, wake_at = null, updated_at = now()
              where id = ? and status = 'running' and exists (select 1 from ended)
            )
            select count(*) from ended""";

    // A wake-up requested meanwhile (a signal sent while the run was deciding to park) leaves the run due at once.
    private static final String PARK_RUNS = """
            update %PREFIX%run r set owner = null, lease_expires_at = null,
              wake_at = case when r.wake_requested then null else p.wake_at end, updated_at = now()
            from unnest(?::text[], ?::int8[], ?::text[]::timestamptz[]) as p(id, epoch, wake_at)
              cross join lateral (select ctid as row_id from %PREFIX%run t where t.id = p.id and t.epoch = p.epoch for update) found
            where r.ctid = found.row_id""";

    // A parent's end carries out the close policy of its children in the same transaction.
    private static final String CANCEL_CHILDREN = """
            update %PREFIX%run r set cancel_requested = true, wake_requested = true, wake_at = null, updated_at = now()
            from unnest(?::text[]) as p(id)
              cross join lateral (select ctid as row_id from %PREFIX%run t
                where t.parent_id = p.id and t.status = 'running' and t.parent_close_policy = 'request_cancel' for update) found
            where r.ctid = found.row_id""";

    // A child's end wakes its parent, which may wait for it.
    private static final String WAKE_PARENTS = """
            update %PREFIX%run r set wake_requested = true, wake_at = null, updated_at = now()
            from unnest(?::text[]) as p(id)
              cross join lateral (select ctid as row_id from %PREFIX%run t where t.id = p.id and t.status = 'running' for update) found
            where r.ctid = found.row_id""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RowStatements rows;
    private final String lockManyAndWriteJournal;
    private final String lockOneAndWriteJournal;
    private final String lockOneAndWriteOne;
    private final String createRuns;
    private final String endRuns;
    private final String endOne;
    private final String parkRuns;
    private final String cancelChildren;
    private final String wakeParents;

    PostgresCheckpointWriter(JdbcTemplate jdbc, TransactionTemplate transactions, SqlTemplate sql, RowStatements rows) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.rows = rows;
        this.lockManyAndWriteJournal = sql.resolve(LOCK_AND_WRITE_JOURNAL.replace("%LOCK%", LOCK_MANY));
        this.lockOneAndWriteJournal = sql.resolve(LOCK_AND_WRITE_JOURNAL.replace("%LOCK%", LOCK_ONE));
        this.lockOneAndWriteOne = sql.resolve(LOCK_ONE_AND_WRITE_ONE.replace("%LOCK%", LOCK_ONE));
        this.createRuns = sql.resolve(CREATE_RUNS.replace("%NEW_LEASE%", sql.dialect().nowPlusMicros("n.lease_micros")));
        this.endRuns = sql.resolve(END_RUNS);
        this.endOne = sql.resolve(END_ONE);
        this.parkRuns = sql.resolve(PARK_RUNS);
        this.cancelChildren = sql.resolve(CANCEL_CHILDREN);
        this.wakeParents = sql.resolve(WAKE_PARENTS);
    }

    @Override
    public BitSet write(List<Checkpoint> batch) {
        if (BatchRows.journalOnly(batch) && batch.size() == 1 && batch.getFirst().entries().size() == 1) {
            return jdbc.execute((ConnectionCallback<BitSet>) connection -> inOwnTransaction(connection,
                    () -> stepAlone(connection, batch)));
        }
        if (BatchRows.journalOnly(batch)) {
            return jdbc.execute((ConnectionCallback<BitSet>) connection -> inOwnTransaction(connection,
                    () -> writeAfterCreation(connection, batch, new BitSet())));
        }
        if (BatchRows.loneEnd(batch)) {
            return jdbc.execute((ConnectionCallback<BitSet>) connection -> inOwnTransaction(connection,
                    () -> endAlone(connection, batch.getFirst())));
        }
        if (batch.stream().allMatch(checkpoint -> checkpoint.creates() != null)) {
            // starts alone: one insert, nothing to lock (a new run is the inserting transaction's own)
            return jdbc.execute((ConnectionCallback<BitSet>) connection -> inOwnTransaction(connection,
                    () -> createRuns(connection, batch)));
        }
        BitSet refused = transactions.execute(status -> jdbc.execute((ConnectionCallback<BitSet>) connection -> {
            BitSet duplicates = createRuns(connection, batch);
            return writeAfterCreation(connection, batch, duplicates);
        }));
        return refused == null ? new BitSet() : refused;
    }

    /** Runs a write that is a single statement as its own transaction, committed by the database. */
    private static BitSet inOwnTransaction(Connection connection, SingleStatement write) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try {
            BitSet refused = write.run();
            if (!autoCommit) {
                // a pool configured without auto-commit leaves the commit to us
                connection.commit();
            }
            return refused;
        } catch (SQLException | RuntimeException ex) {
            if (!autoCommit) {
                connection.rollback();
            }
            throw ex;
        }
    }

    /** A write of one statement, which answers the positions it refused. */
    @FunctionalInterface
    private interface SingleStatement {
        BitSet run() throws SQLException;
    }

    private BitSet writeAfterCreation(Connection connection, List<Checkpoint> batch, BitSet duplicates) throws SQLException {
        BitSet refused = BatchRows.afterTheirRunsEnd(batch);
        refused.or(duplicates);
        Map<String, Long> runningEpochs = lockAndWriteJournal(connection, batch, BatchRows.of(batch, refused).journal());
        BitSet notRunning = BatchRows.refusedByEpoch(batch, runningEpochs);
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).creates() != null) {
                notRunning.clear(i); // a creation is refused only for a duplicate id, decided by its insert
            }
        }
        refused.or(notRunning);
        BatchRows accepted = BatchRows.of(batch, refused);
        endRuns(connection, accepted.endings());
        rows.writeConsumedSignals(accepted.consuming());
        parkRuns(connection, accepted.parks());
        rows.writeChildren(accepted.children());
        List<String> ended = accepted.endings().stream().map(Checkpoint::runId).toList();
        update(connection, cancelChildren, ended);
        update(connection, wakeParents, accepted.parentsToWake());
        return refused;
    }

    /** Inserts the batch's new runs; returns the positions of the creations refused because the id exists. */
    private BitSet createRuns(Connection connection, List<Checkpoint> batch) throws SQLException {
        BitSet duplicates = BatchRows.repeatedCreations(batch);
        List<NewRun> runs = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            NewRun run = batch.get(i).creates();
            if (run != null && !duplicates.get(i)) {
                runs.add(run);
            }
        }
        if (runs.isEmpty()) {
            return duplicates;
        }
        Set<String> created = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(createRuns)) {
            ArrayParameters<NewRun> arrays = new ArrayParameters<>(connection, statement, runs);
            arrays.text(NewRun::id).text(NewRun::type).text(NewRun::input).text(NewRun::owner)
                    .int8(run -> run.lease().truncatedTo(ChronoUnit.MICROS).toNanos() / 1_000)
                    .instant(NewRun::createdAt).instant(NewRun::deadline).int4(NewRun::version)
                    .text(NewRun::parentId).int8(NewRun::parentSeq).text(NewRun::parentClosePolicy).int4(NewRun::depth);
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

    private Map<String, Long> lockAndWriteJournal(Connection connection, List<Checkpoint> batch,
            List<BatchRows.JournalRow> journal) throws SQLException {
        Map<String, Long> runningEpochs = new HashMap<>();
        // the batch is sorted by run id, so the runs are locked in that order; a run this batch
        // creates is the transaction's own already, and is locked only if the batch also writes to it
        Object[] runIds = batch.stream().filter(checkpoint -> checkpoint.creates() == null)
                .map(Checkpoint::runId).distinct().toArray();
        if (runIds.length == 0) {
            return Map.of();
        }
        boolean oneRun = runIds.length == 1;
        try (PreparedStatement statement = connection.prepareStatement(oneRun ? lockOneAndWriteJournal : lockManyAndWriteJournal)) {
            if (oneRun) {
                statement.setString(1, (String) runIds[0]);
            } else {
                statement.setArray(1, connection.createArrayOf("text", runIds));
            }
            ArrayParameters<BatchRows.JournalRow> arrays = new ArrayParameters<>(connection, statement, journal).from(2);
            arrays.text(BatchRows.JournalRow::runId).int8(BatchRows.JournalRow::epoch).int8(row -> row.entry().seq())
                    .text(row -> JdbcValues.wireName(row.entry().kind())).text(row -> row.entry().name())
                    .text(row -> JdbcValues.wireName(row.entry().state())).text(row -> row.entry().result())
                    .failure(row -> row.entry().failure())
                    .int4(row -> row.entry().attempt()).instant(row -> row.entry().dueAt())
                    .instant(row -> row.entry().scheduledAt());
            try (ResultSet locked = statement.executeQuery()) {
                while (locked.next()) {
                    if ("running".equals(locked.getString(3))) {
                        runningEpochs.put(locked.getString(1), locked.getLong(2));
                    }
                }
            }
        }
        return runningEpochs;
    }

    private void endRuns(Connection connection, List<Checkpoint> endings) throws SQLException {
        if (endings.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(endRuns)) {
            new ArrayParameters<>(connection, statement, endings).text(Checkpoint::runId).int8(Checkpoint::epoch)
                    .text(ending -> outcome(ending).status().wireName()).text(ending -> outcome(ending).result())
                    .failure(ending -> outcome(ending).failure()).instant(ending -> outcome(ending).completedAt());
            statement.executeUpdate();
        }
    }

    /** Writes the one entry of a batch of one checkpoint, fenced by its run's row, in one statement. */
    private BitSet stepAlone(Connection connection, List<Checkpoint> batch) throws SQLException {
        Checkpoint step = batch.getFirst();
        JournalEntry entry = step.entries().getFirst();
        FailureInfo failure = entry.failure();
        Map<String, Long> runningEpochs = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(lockOneAndWriteOne)) {
            statement.setString(1, step.runId());
            statement.setLong(2, entry.seq());
            statement.setString(3, JdbcValues.wireName(entry.kind()));
            statement.setString(4, entry.name());
            statement.setString(5, JdbcValues.wireName(entry.state()));
            statement.setString(6, entry.result());
            bindFailure(statement, 7, failure);
            statement.setInt(12, entry.attempt());
            statement.setString(13, timestamp(entry.dueAt()));
            statement.setString(14, timestamp(entry.scheduledAt()));
            statement.setLong(15, step.epoch());
            try (ResultSet locked = statement.executeQuery()) {
                if (locked.next() && "running".equals(locked.getString(3))) {
                    runningEpochs.put(locked.getString(1), locked.getLong(2));
                }
            }
        }
        return BatchRows.refusedByEpoch(batch, runningEpochs);
    }

    /** Binds the five {@code error_*} columns of {@code failure} from parameter {@code first} on. */
    private static void bindFailure(PreparedStatement statement, int first, @Nullable FailureInfo failure) throws SQLException {
        statement.setString(first, failure == null ? null : failure.type());
        statement.setString(first + 1, failure == null ? null : failure.message());
        statement.setString(first + 2, failure == null ? null : failure.category().wireName());
        statement.setString(first + 3, failure == null ? null : failure.code());
        statement.setString(first + 4, failure == null ? null : failure.stackTrace());
    }

    private static @Nullable String timestamp(@Nullable Instant instant) {
        return instant == null ? null : JdbcDialect.micros(instant).toString();
    }

    /** Ends one run in one statement; refuses it (position 0) when the run is not running under its epoch. */
    private BitSet endAlone(Connection connection, Checkpoint ending) throws SQLException {
        RunOutcome outcome = outcome(ending);
        FailureInfo failure = outcome.failure();
        try (PreparedStatement statement = connection.prepareStatement(endOne)) {
            statement.setString(1, outcome.status().wireName());
            statement.setString(2, outcome.result());
            bindFailure(statement, 3, failure);
            statement.setString(8, timestamp(outcome.completedAt()));
            statement.setString(9, ending.runId());
            statement.setLong(10, ending.epoch());
            statement.setString(11, outcome.parentId());
            try (ResultSet ended = statement.executeQuery()) {
                ended.next();
                BitSet refused = new BitSet();
                refused.set(0, ended.getInt(1) == 0);
                return refused;
            }
        }
    }

    private void parkRuns(Connection connection, List<Checkpoint> parks) throws SQLException {
        if (parks.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(parkRuns)) {
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

    /**
     * Binds one array parameter per column, in order: each holds that column's value for every row.
     * Instants travel as ISO-8601 text (microseconds, UTC) that the statement casts.
     */
    private static final class ArrayParameters<T> {

        private final Connection connection;
        private final PreparedStatement statement;
        private final List<T> rows;
        private int next = 1;

        ArrayParameters(Connection connection, PreparedStatement statement, List<T> rows) {
            this.connection = connection;
            this.statement = statement;
            this.rows = rows;
        }

        ArrayParameters<T> from(int parameterIndex) {
            next = parameterIndex;
            return this;
        }

        ArrayParameters<T> text(Function<T, @Nullable String> column) throws SQLException {
            return bind("text", column);
        }

        ArrayParameters<T> int8(Function<T, Long> column) throws SQLException {
            return bind("int8", column);
        }

        ArrayParameters<T> int4(Function<T, Integer> column) throws SQLException {
            return bind("int4", column);
        }

        ArrayParameters<T> instant(Function<T, @Nullable Instant> column) throws SQLException {
            return bind("text", row -> {
                Instant value = column.apply(row);
                return value == null ? null : JdbcDialect.micros(value).toString();
            });
        }

        /** The five {@code error_*} columns of a failure. */
        ArrayParameters<T> failure(Function<T, @Nullable FailureInfo> column) throws SQLException {
            return text(row -> failureOf(column, row, FailureInfo::type))
                    .text(row -> failureOf(column, row, FailureInfo::message))
                    .text(row -> failureOf(column, row, failure -> failure.category().wireName()))
                    .text(row -> failureOf(column, row, FailureInfo::code))
                    .text(row -> failureOf(column, row, FailureInfo::stackTrace));
        }

        private static <T> @Nullable String failureOf(Function<T, @Nullable FailureInfo> column, T row,
                Function<FailureInfo, @Nullable String> part) {
            FailureInfo failure = column.apply(row);
            return failure == null ? null : part.apply(failure);
        }

        private ArrayParameters<T> bind(String elementType, Function<T, ?> column) throws SQLException {
            Object[] values = new Object[rows.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = column.apply(rows.get(i));
            }
            statement.setArray(next++, connection.createArrayOf(elementType, values));
            return this;
        }
    }
}
