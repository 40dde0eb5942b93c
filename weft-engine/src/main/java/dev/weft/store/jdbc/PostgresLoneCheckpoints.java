package dev.weft.store.jdbc;

import dev.weft.failure.FailureInfo;
import dev.weft.store.ActivityRecord;
import dev.weft.store.Checkpoint;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The batches of one checkpoint that PostgreSQL writes in one statement of plain parameters (every
 * batch at concurrency 1): a run's creation, a step, with its reconciliation record or not, a record
 * alone, and a run's end, alone or with its last step. Each but the creation is fenced by its run's row (a new run is the
 * inserting statement's own); encoding one-element arrays would cost more than the statement saves.
 */
final class PostgresLoneCheckpoints {

    private final PostgresBatchStatements sql;

    PostgresLoneCheckpoints(PostgresBatchStatements sql) {
        this.sql = sql;
    }

    /** Creates the one new run of a batch of one creation; refuses it (position 0) when its id exists already. */
    BitSet createAlone(Connection connection, Checkpoint creation) throws SQLException {
        NewRun run = Objects.requireNonNull(creation.creates());
        try (PreparedStatement statement = connection.prepareStatement(sql.createOne)) {
            statement.setString(1, run.id());
            statement.setString(2, run.type());
            statement.setString(3, run.input());
            statement.setString(4, run.owner());
            statement.setLong(5, run.lease().toNanos() / 1_000);
            statement.setString(6, timestamp(run.createdAt()));
            statement.setString(7, timestamp(run.deadline()));
            statement.setInt(8, run.version());
            statement.setString(9, run.parentId());
            statement.setLong(10, run.parentSeq());
            statement.setString(11, run.parentClosePolicy());
            statement.setInt(12, run.depth());
            try (ResultSet inserted = statement.executeQuery()) {
                BitSet refused = new BitSet();
                refused.set(0, !inserted.next());
                return refused;
            }
        }
    }

    /**
     * Writes the one entry of a batch of one checkpoint, and its reconciliation records if it has
     * any (one, or two of different keys), fenced by its run's row, in one statement.
     */
    BitSet stepAlone(Connection connection, List<Checkpoint> batch) throws SQLException {
        Checkpoint step = batch.getFirst();
        JournalEntry entry = step.entries().getFirst();
        List<ActivityRecord> records = step.records();
        String statementSql = switch (records.size()) {
            case 0 -> sql.stepOne;
            case 1 -> sql.keyedStepOne;
            default -> sql.keyedStepTwoRecords;
        };
        try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
            statement.setString(1, step.runId());
            bindEntry(statement, 2, entry);
            statement.setLong(15, step.epoch());
            for (int i = 0; i < records.size(); i++) {
                bindRecord(statement, 16 + 7 * i, records.get(i), step.epoch());
            }
            return refusedByLock(statement, batch);
        }
    }

    /** Writes the one reconciliation record of a batch of one checkpoint (a keyed step's started record), fenced, in one statement. */
    BitSet recordAlone(Connection connection, List<Checkpoint> batch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.recordOne)) {
            statement.setString(1, batch.getFirst().runId());
            bindRecord(statement, 2, batch.getFirst().records().getFirst(), batch.getFirst().epoch());
            return refusedByLock(statement, batch);
        }
    }

    /** Binds {@code record} and then the epoch of its checkpoint, seven parameters from {@code first} on. */
    private static void bindRecord(PreparedStatement statement, int first, ActivityRecord record, long epoch) throws SQLException {
        statement.setLong(bindRecordFields(statement, first, record), epoch);
    }

    /** Binds {@code record}'s six columns after its run id from {@code first} on; returns the next parameter's index. */
    private static int bindRecordFields(PreparedStatement statement, int first, ActivityRecord record) throws SQLException {
        statement.setString(first, record.activity());
        statement.setString(first + 1, record.keyDigest());
        statement.setLong(first + 2, record.seq());
        statement.setString(first + 3, record.state().wireName());
        statement.setInt(first + 4, record.attempt());
        statement.setString(first + 5, record.result());
        return first + 6;
    }

    /** Binds {@code entry}'s thirteen columns after its run id from {@code first} on; returns the next parameter's index. */
    private static int bindEntry(PreparedStatement statement, int first, JournalEntry entry) throws SQLException {
        statement.setLong(first, entry.seq());
        statement.setString(first + 1, JdbcValues.wireName(entry.kind()));
        statement.setString(first + 2, entry.name());
        statement.setString(first + 3, JdbcValues.wireName(entry.state()));
        statement.setString(first + 4, entry.result());
        bindFailure(statement, first + 5, entry.failure());
        statement.setInt(first + 10, entry.attempt());
        statement.setString(first + 11, timestamp(entry.dueAt()));
        statement.setString(first + 12, timestamp(entry.scheduledAt()));
        return first + 13;
    }

    /** Runs a statement that answers its locked run's {@code (id, epoch, status)}; refuses the batch's one checkpoint unless running under its epoch. */
    private static BitSet refusedByLock(PreparedStatement statement, List<Checkpoint> batch) throws SQLException {
        Map<String, Long> runningEpochs = new HashMap<>();
        try (ResultSet locked = statement.executeQuery()) {
            if (locked.next() && "running".equals(locked.getString(3))) {
                runningEpochs.put(locked.getString(1), locked.getLong(2));
            }
        }
        return BatchRows.refusedByEpoch(batch, runningEpochs);
    }

    /** Binds the five {@code error_*} columns of {@code failure} (texts as {@link StoredText}) from parameter {@code first} on. */
    private static void bindFailure(PreparedStatement statement, int first, @Nullable FailureInfo failure) throws SQLException {
        statement.setString(first, failure == null ? null : StoredText.encode(failure.type()));
        statement.setString(first + 1, failure == null ? null : StoredText.encode(failure.message()));
        statement.setString(first + 2, failure == null ? null : failure.category().wireName());
        statement.setString(first + 3, failure == null ? null : StoredText.encode(failure.code()));
        statement.setString(first + 4, failure == null ? null : StoredText.encode(failure.stackTrace()));
    }

    private static @Nullable String timestamp(@Nullable Instant instant) {
        return instant == null ? null : JdbcDialect.micros(instant).toString();
    }

    /** Ends one run in one statement; refuses it (position 0) when the run is not running under its epoch. */
    BitSet endAlone(Connection connection, Checkpoint ending) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.endOne)) {
            int next = bindEnd(statement, ending);
            return endedOrRefused(statement, ending, next);
        }
    }

    /**
     * Ends one run with its last step's entry and that step's reconciliation records, in one
     * statement whose end is the fence of all: nothing is written unless the run was running under
     * the checkpoint's epoch (then refused, position 0).
     */
    BitSet stepEndAlone(Connection connection, Checkpoint ending) throws SQLException {
        List<ActivityRecord> records = ending.records();
        try (PreparedStatement statement = connection.prepareStatement(sql.stepEndOne(records.size()))) {
            int next = bindEnd(statement, ending);
            next = bindEntry(statement, next, ending.entries().getFirst());
            for (ActivityRecord record : records) {
                next = bindRecordFields(statement, next, record);
            }
            return endedOrRefused(statement, ending, next);
        }
    }

    /** Binds the end's own ten parameters (the run's new state and its fence); returns the next parameter's index. */
    private static int bindEnd(PreparedStatement statement, Checkpoint ending) throws SQLException {
        RunOutcome outcome = Objects.requireNonNull(ending.outcome());
        statement.setString(1, outcome.status().wireName());
        statement.setString(2, outcome.result());
        bindFailure(statement, 3, outcome.failure());
        statement.setString(8, timestamp(outcome.completedAt()));
        statement.setString(9, ending.runId());
        statement.setLong(10, ending.epoch());
        return 11;
    }

    /** Binds the end's last two parameters (its children and its parent) from {@code next}, and runs it. */
    private static BitSet endedOrRefused(PreparedStatement statement, Checkpoint ending, int next) throws SQLException {
        statement.setString(next, ending.runId());
        statement.setString(next + 1, Objects.requireNonNull(ending.outcome()).parentId());
        try (ResultSet ended = statement.executeQuery()) {
            ended.next();
            BitSet refused = new BitSet();
            refused.set(0, ended.getInt(1) == 0);
            return refused;
        }
    }
}
