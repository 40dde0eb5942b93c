package dev.weft.store.jdbc;

import dev.weft.failure.OwnershipLostException;
import dev.weft.failure.StoreException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.WorkflowStatus;
import dev.weft.store.CancelRequest;
import dev.weft.store.Checkpoint;
import dev.weft.store.JournalEntry;
import dev.weft.store.NewRun;
import dev.weft.store.RunClaim;
import dev.weft.store.RunRecord;
import dev.weft.store.NewSignal;
import dev.weft.store.PendingSignal;
import dev.weft.store.SignalDelivery;
import dev.weft.store.SignalWithStart;
import dev.weft.store.EntryState;
import dev.weft.failure.FailureInfo;
import dev.weft.store.RunQuery;
import dev.weft.store.DeleteOutcome;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link WorkflowStore} over a relational database, through Spring's {@link JdbcClient}.
 * Checkpoints are written by a {@link GroupCommitter}; ownership is fenced by the {@code epoch}
 * column in every owner's write; lease times come from the database clock.
 *
 * <p>Instants are stored with microsecond precision: values are truncated (towards the past) to
 * whole microseconds when written.
 *
 * <p>Close the store to write what is queued and stop its flusher thread; the data source is not
 * closed.
 */
public final class JdbcWorkflowStore implements WorkflowStore, AutoCloseable {

    /** The table prefix unless one is configured. */
    public static final String DEFAULT_TABLE_PREFIX = "weft_";

    /** The most checkpoints one transaction carries unless configured otherwise. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 256;

    private static final int ATTEMPTS_ON_LOCK_FAILURE = 3;

    static final String INSERT_RUN = """
            insert into %PREFIX%run (id, type, status, input, owner, epoch, lease_expires_at, claimed_at, cancel_requested,
              created_at, updated_at, deadline_at, version, parent_id, parent_seq, parent_close_policy, depth)
            values (:id, :type, 'running', :input, :owner, 1, %LEASE_UNTIL%, %NOW%, false, :createdAt, %NOW%,
              :deadline, :version, :parentId, :parentSeq, :parentClosePolicy, :depth)""";

    // The same row as INSERT_RUN, written only when no run has the id: a duplicate inserts nothing
    // instead of failing the group-commit transaction it shares with other runs' checkpoints.
    static final String INSERT_RUN_IF_ABSENT = """
            insert into %PREFIX%run (id, type, status, input, owner, epoch, lease_expires_at, claimed_at, cancel_requested,
              created_at, updated_at, deadline_at, version, parent_id, parent_seq, parent_close_policy, depth)
            select :id, :type, 'running', :input, :owner, 1, %LEASE_UNTIL%, %NOW%, false, :createdAt, %NOW%,
              :deadline, :version, :parentId, :parentSeq, :parentClosePolicy, :depth
            from (select 1 as one) single_row
            where not exists (select 1 from %PREFIX%run existing where existing.id = :id)""";

    private static final String RUN_ROWS = """
            select id, type, status, input, result, error_type, error_message, error_category, error_code,
              error_stack, owner, epoch, lease_expires_at, cancel_requested, created_at, completed_at,
              deadline_at, version, parent_id, parent_seq, depth
            from %PREFIX%run\s""";

    private static final String SELECT_RUN = RUN_ROWS + "where id = :id";

    private static final String SELECT_STATUS = "select status from %PREFIX%run where id = :id";

    private static final String SELECT_RUNS = RUN_ROWS + "where id in (:ids)";

    private static final int MAX_IDS_PER_STATEMENT = 500;

    private static final String JOURNAL_ROWS = """
            select run_id, seq, kind, name, state, result, error_type, error_message, error_category, error_code,
              error_stack, attempt, due_at, scheduled_at
            from %PREFIX%journal\s""";

    private static final String SELECT_JOURNAL = JOURNAL_ROWS + "where run_id = :runId order by seq";

    private static final String SELECT_JOURNALS = JOURNAL_ROWS + "where run_id in (:ids) order by run_id, seq";

    // The lapsed-lease test is "<=" so that a zero lease is lapsed for any later transaction.
    // A node's own runs are recoverable only when an earlier incarnation claimed them: the runs the
    // live engine drives itself have later claim times and must not be fenced off by its own claim.
    private static final String RECOVERABLE = """
            (owner is null or lease_expires_at <= %NOW% or (owner = :node and claimed_at < :ownClaimedBefore))""";

    private static final String LOCK_RECOVERABLE = """
            select id, type, epoch, cancel_requested from %PREFIX%run
            where status = 'running' and type in (:types)
              and %RECOVERABLE% and (wake_at is null or wake_at <= :wakeDueBy)
            order by created_at, id
            limit :limit%SKIP_LOCKED%""";

    // one row by primary key per statement: an "id in (...)" update may be planned as an index
    // scan on MariaDB and then wait for rows another claimer locked, a deadlock
    private static final String TAKE_OVER = """
            update %PREFIX%run set owner = :node, epoch = epoch + 1, lease_expires_at = %LEASE_UNTIL%,
              claimed_at = %NOW%, wake_at = null, wake_requested = false, updated_at = %NOW%
            where id = :id""";

    private static final String CLAIM_ONE = """
            update %PREFIX%run set owner = :node, epoch = epoch + 1, lease_expires_at = %LEASE_UNTIL%,
              claimed_at = %NOW%, updated_at = %NOW%
            where id = :id and status = 'running'
              and (owner = :node or owner is null or lease_expires_at <= %NOW%)""";

    private static final String SELECT_CLAIM = "select type, epoch, cancel_requested from %PREFIX%run where id = :id";

    // Locks the rows to renew in id order first, as a group commit does: an update of many rows
    // alone locks them in the order of its scan, and deadlocked with commits of the same runs.
    private static final String LOCK_FOR_RENEWAL = """
            select id from %PREFIX%run
            where owner = :node and status = 'running' and id in (:ids)
            order by id for update""";

    private static final String RENEW_LEASES = """
            update %PREFIX%run set lease_expires_at = %LEASE_UNTIL%
            where owner = :node and status = 'running' and id in (:ids)""";

    private static final String RELEASE = """
            update %PREFIX%run set owner = null, lease_expires_at = null, updated_at = %NOW%
            where id = :id and epoch = :epoch and status = 'running'""";

    private static final String COUNT_RECOVERABLE_BY_TYPE = """
            select type, count(*) as runs from %PREFIX%run
            where status = 'running' and %RECOVERABLE%
            group by type""";

    private static final String COUNT_RECOVERABLE_OF_OTHER_TYPES = """
            select type, count(*) as runs from %PREFIX%run
            where status = 'running' and type not in (:types)
              and %RECOVERABLE%
            group by type""";

    private static final String REQUEST_CANCEL = """
            update %PREFIX%run set cancel_requested = true, wake_requested = true, wake_at = null, updated_at = %NOW%
            where id = :id and status = 'running'""";

    private static final String SELECT_CANCEL_REQUESTED = """
            select id from %PREFIX%run
            where owner = :node and status = 'running' and cancel_requested = true
            order by created_at, id""";

    private static final String SELECT_JOURNAL_ENTRY = """
            select seq, kind, name, state, result, error_type, error_message, error_category, error_code,
              error_stack, attempt, due_at, scheduled_at
            from %PREFIX%journal where run_id = :runId and seq = :seq""";

    // The run row is locked first, as a commit batch locks it, so the two never wait on each other in a cycle.
    private static final String FLAG_WAKE = """
            update %PREFIX%run set wake_requested = true, updated_at = %NOW%
            where id = :runId and status = 'running'""";

    private static final String RESOLVE_PENDING = """
            update %PREFIX%journal set state = :state, result = :result, error_type = :errorType,
              error_message = :errorMessage, error_category = :errorCategory, error_code = :errorCode,
              error_stack = :errorStack, updated_at = %NOW%
            where run_id = :runId and seq = :seq and attempt = :attempt and state = 'pending' and kind = 'activity'""";

    private static final String SELECT_WAKE_REQUESTED = """
            select id from %PREFIX%run where owner = :node and status = 'running' and wake_requested = true""";

    private static final String CLEAR_WAKE = "update %PREFIX%run set wake_requested = false where id in (:ids)";

    private static final String LOCK_RUN_STATUS = "select status from %PREFIX%run where id = :runId for update";

    private static final String COUNT_SIGNAL_ID = """
            select count(*) from %PREFIX%signal where run_id = :runId and signal_id = :signalId""";

    private static final String INSERT_SIGNAL = """
            insert into %PREFIX%signal (run_id, name, payload, signal_id, created_at)
            values (:runId, :name, :payload, :signalId, :sentAt)""";

    private static final String WAKE_FOR_SIGNAL = """
            update %PREFIX%run set wake_requested = true, wake_at = null, updated_at = %NOW% where id = :runId""";

    private static final String NEXT_SIGNAL = """
            select id, name, payload from %PREFIX%signal
            where run_id = :runId and name = :name and consumed_seq is null
            order by id limit 1""";

    private static final String SUSPEND = """
            update %PREFIX%run set status = 'suspended', epoch = epoch + 1, owner = null, lease_expires_at = null,
              wake_at = null, updated_at = %NOW%
            where id = :id and status = 'running'""";

    private static final String UNSUSPEND = """
            update %PREFIX%run set status = 'running', owner = null, lease_expires_at = null, updated_at = %NOW%
            where id = :id and status = 'suspended'""";

    private static final String CANCEL_SUSPENDED = """
            update %PREFIX%run set status = 'cancelled', completed_at = :completedAt, cancel_requested = false,
              updated_at = %NOW%
            where id = :id and status = 'suspended'""";

    private static final String RUN_COLUMNS = """
            id, type, status, input, result, error_type, error_message, error_category, error_code,
              error_stack, owner, epoch, lease_expires_at, cancel_requested, created_at, completed_at,
              deadline_at, version, parent_id, parent_seq, depth""";

    private static final String RUN_FILTER = """
            where (:anyStatus = 1 or status in (:statuses)) and (:anyType = 1 or type = :type)""";

    private static final String LIST_RUNS = "select " + RUN_COLUMNS + " from %PREFIX%run " + RUN_FILTER
            + " order by created_at desc, id desc limit :limit offset :offset";

    private static final String COUNT_RUNS = "select count(*) from %PREFIX%run " + RUN_FILTER;

    private static final String COUNT_BY_STATUS = "select status, count(*) as runs from %PREFIX%run group by status";

    private static final String COUNT_OVERDUE = """
            select count(*) from %PREFIX%run
            where status = 'running' and (lease_expires_at is null or lease_expires_at <= %LEASE_AGO%)""";

    private static final String DELETE_JOURNAL = "delete from %PREFIX%journal where run_id = :id";

    private static final String DELETE_FINISHED_RUN =
            "delete from %PREFIX%run where id = :id and status not in ('running', 'suspended')";

    private final SqlTemplate sql;
    private final JdbcValues values;
    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final TransactionTemplate transactions;
    private final GroupCommitter committer;
    private final int concurrentBatches;

    private JdbcWorkflowStore(Builder builder) {
        DataSource dataSource = builder.dataSource;
        JdbcDialect dialect = builder.dialect != null ? builder.dialect : JdbcDialect.of(dataSource);
        this.sql = new SqlTemplate(dialect, builder.tablePrefix);
        this.values = new JdbcValues(dialect);
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(dataSource);
        this.jdbc = JdbcClient.create(named);
        this.batch = named;
        PlatformTransactionManager transactionManager = builder.transactionManager != null
                ? builder.transactionManager : new JdbcTransactionManager(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        if (dialect.needsReadCommitted()) {
            this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        }
        CheckpointWriter writer = CheckpointWriter.forDialect(named, transactions, sql);
        this.concurrentBatches = builder.concurrentBatches != null ? builder.concurrentBatches : dialect.defaultConcurrentBatches();
        this.committer = new GroupCommitter(writer::write, builder.maxBatchSize, concurrentBatches, builder.observer);
    }

    /** Starts a builder for a store over {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    @Override
    public long createRun(NewRun run) {
        // Through the group commit: starts that arrive together share one transaction and one commit.
        for (int attempt = 1; ; attempt++) {
            try {
                committer.submit(Checkpoint.creating(run)).join();
                return 1;
            } catch (java.util.concurrent.CompletionException ex) {
                Throwable cause = ex.getCause();
                if (cause instanceof OwnershipLostException refused) {
                    // the only refusal a creation meets: a run with that id exists
                    throw alreadyExists(run.id(), refused);
                }
                boolean raced = cause instanceof StoreException store && store.getCause() instanceof DuplicateKeyException;
                if (!raced || attempt == 2) {
                    throw cause instanceof RuntimeException runtime ? runtime
                            : new StoreException("Could not create run '" + run.id() + "'", cause);
                }
                // Another node inserted an id of this batch between our check and our insert, which
                // failed the whole transaction: once more, and a real duplicate is then refused as one.
            }
        }
    }

    private MapSqlParameterSource newRunParams(NewRun run) {
        return values.newRun(run);
    }

    private WorkflowAlreadyExistsException alreadyExists(String runId, Exception cause) {
        String state = findStatus(runId)
                .map(status -> status == WorkflowStatus.RUNNING ? "is still running" : "has ended " + status.wireName())
                .orElse("existed");
        return new WorkflowAlreadyExistsException("A run with id '" + runId + "' already exists and " + state, cause);
    }

    private Optional<WorkflowStatus> findStatus(String runId) {
        return translated("read the status of run '" + runId + "'", () -> jdbc.sql(sql.resolve(SELECT_STATUS))
                .param("id", runId)
                .query((rs, row) -> WorkflowStatus.fromWireName(rs.getString("status")))
                .optional());
    }

    @Override
    public Optional<RunRecord> findRun(String runId) {
        return translated("read run '" + runId + "'", () -> jdbc.sql(sql.resolve(SELECT_RUN))
                .param("id", runId)
                .query(values.runMapper())
                .optional());
    }

    @Override
    public List<JournalEntry> loadJournal(String runId) {
        return translated("load the journal of run '" + runId + "'", () -> jdbc.sql(sql.resolve(SELECT_JOURNAL))
                .param("runId", runId)
                .query(values.journalMapper())
                .list());
    }

    @Override
    public Map<String, RunRecord> findRuns(Collection<String> runIds) {
        Map<String, RunRecord> runs = new HashMap<>();
        for (List<String> chunk : chunks(runIds)) {
            translated("read " + chunk.size() + " runs", () -> jdbc.sql(sql.resolve(SELECT_RUNS))
                    .param("ids", chunk)
                    .query(values.runMapper())
                    .list()).forEach(run -> runs.put(run.id(), run));
        }
        return runs;
    }

    @Override
    public Map<String, List<JournalEntry>> loadJournals(Collection<String> runIds) {
        Map<String, List<JournalEntry>> journals = new HashMap<>();
        runIds.forEach(id -> journals.put(id, new ArrayList<>()));
        RowMapper<JournalEntry> entries = values.journalMapper();
        for (List<String> chunk : chunks(runIds)) {
            translated("load the journals of " + chunk.size() + " runs", () -> {
                jdbc.sql(sql.resolve(SELECT_JOURNALS)).param("ids", chunk).query(rs -> {
                    journals.get(rs.getString("run_id")).add(entries.mapRow(rs, rs.getRow()));
                });
                return null;
            });
        }
        return journals;
    }

    /** Id lists cut to a size every database takes in an {@code in (...)} list. */
    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = List.copyOf(new LinkedHashSet<>(ids));
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += MAX_IDS_PER_STATEMENT) {
            chunks.add(all.subList(from, Math.min(all.size(), from + MAX_IDS_PER_STATEMENT)));
        }
        return chunks;
    }

    @Override
    public CompletableFuture<Void> commit(Checkpoint checkpoint) {
        return committer.submit(checkpoint);
    }

    @Override
    public List<RunClaim> claimRecoverable(String node, Instant ownClaimedBefore, Instant wakeDueBy, Collection<String> types,
            Duration lease, int limit) {
        if (types.isEmpty() || limit < 1) {
            return List.of();
        }
        return inTransaction("claim recoverable runs for node '" + node + "'", () -> {
            List<RunClaim> locked = jdbc.sql(recoverable(LOCK_RECOVERABLE))
                    .param("types", List.copyOf(types))
                    .param("node", node)
                    .param("ownClaimedBefore", values.bindable(ownClaimedBefore))
                    .param("wakeDueBy", values.bindable(wakeDueBy))
                    .param("limit", limit)
                    .query((rs, row) -> new RunClaim(rs.getString("id"), rs.getString("type"),
                            rs.getLong("epoch") + 1, rs.getBoolean("cancel_requested")))
                    .list();
            if (!locked.isEmpty()) {
                // the rows are locked by the select, so "epoch + 1" is the epoch each claim reports
                SqlParameterSource[] params = locked.stream()
                        .map(claim -> JdbcValues.lease(new MapSqlParameterSource()
                                .addValue("node", node).addValue("id", claim.runId()), lease))
                        .toArray(SqlParameterSource[]::new);
                batch.batchUpdate(sql.resolve(TAKE_OVER), params);
            }
            return locked;
        });
    }

    @Override
    public Optional<RunClaim> claim(String runId, String node, Duration lease) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("id", runId).addValue("node", node);
        JdbcValues.lease(params, lease);
        return inTransaction("claim run '" + runId + "' for node '" + node + "'", () -> {
            // no RETURNING on MariaDB: the update locks the row, the select reads it back
            if (jdbc.sql(sql.resolve(CLAIM_ONE)).paramSource(params).update() == 0) {
                return Optional.empty();
            }
            return jdbc.sql(sql.resolve(SELECT_CLAIM))
                    .param("id", runId)
                    .query((rs, row) -> new RunClaim(runId, rs.getString("type"), rs.getLong("epoch"),
                            rs.getBoolean("cancel_requested")))
                    .optional();
        });
    }

    @Override
    public int renewLeases(String node, Collection<String> runIds, Duration lease) {
        if (runIds.isEmpty()) {
            return 0;
        }
        MapSqlParameterSource params = JdbcValues.lease(new MapSqlParameterSource().addValue("node", node)
                .addValue("ids", List.copyOf(runIds)), lease);
        return inTransaction("renew the leases of node '" + node + "'", () -> {
            jdbc.sql(sql.resolve(LOCK_FOR_RENEWAL)).paramSource(params).query(String.class).list();
            return jdbc.sql(sql.resolve(RENEW_LEASES)).paramSource(params).update();
        });
    }

    @Override
    public void release(String runId, long epoch) {
        inTransaction("release run '" + runId + "'", () -> jdbc.sql(sql.resolve(RELEASE))
                .param("id", runId)
                .param("epoch", epoch)
                .update());
    }

    @Override
    public Map<String, Long> countRecoverableOfOtherTypes(String node, Instant ownClaimedBefore, Collection<String> knownTypes) {
        Map<String, Long> counts = new LinkedHashMap<>();
        String query = knownTypes.isEmpty() ? COUNT_RECOVERABLE_BY_TYPE : COUNT_RECOVERABLE_OF_OTHER_TYPES;
        translated("count recoverable runs for node '" + node + "'", () -> {
            JdbcClient.StatementSpec statement = jdbc.sql(recoverable(query)).param("node", node)
                    .param("ownClaimedBefore", values.bindable(ownClaimedBefore));
            if (!knownTypes.isEmpty()) {
                statement = statement.param("types", List.copyOf(knownTypes));
            }
            statement.query(rs -> {
                counts.put(rs.getString("type"), rs.getLong("runs"));
            });
            return counts;
        });
        return counts;
    }

    @Override
    public Optional<JournalEntry> findJournalEntry(String runId, long seq) {
        return translated("read entry " + seq + " of run '" + runId + "'", () -> jdbc.sql(sql.resolve(SELECT_JOURNAL_ENTRY))
                .param("runId", runId)
                .param("seq", seq)
                .query(values.journalMapper())
                .optional());
    }

    @Override
    public boolean resolvePending(String runId, long seq, int attempt, EntryState outcome, @Nullable String result,
            @Nullable FailureInfo failure) {
        if (outcome != EntryState.COMPLETED && outcome != EntryState.ATTEMPT_FAILED) {
            throw new IllegalArgumentException("a pending attempt resolves as completed or attempt_failed, not " + outcome);
        }
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("runId", runId).addValue("seq", seq)
                .addValue("attempt", attempt).addValue("state", JdbcValues.wireName(outcome));
        JdbcValues.text(params, "result", result);
        JdbcValues.failure(params, failure);
        return translated("resolve entry " + seq + " of run '" + runId + "'", () -> Boolean.TRUE.equals(transactions.execute(status -> {
            if (jdbc.sql(sql.resolve(FLAG_WAKE)).paramSource(params).update() == 0) {
                return false;
            }
            if (jdbc.sql(sql.resolve(RESOLVE_PENDING)).paramSource(params).update() == 0) {
                // Nothing to adopt (unknown or spent token): the wake flag goes back with the transaction.
                status.setRollbackOnly();
                return false;
            }
            return true;
        })));
    }

    @Override
    public List<String> takeWakeRequests(String node) {
        return inTransaction("take the wake-ups of node '" + node + "'", () -> {
            List<String> ids = jdbc.sql(sql.resolve(SELECT_WAKE_REQUESTED)).param("node", node)
                    .query((rs, row) -> rs.getString("id")).list();
            if (!ids.isEmpty()) {
                jdbc.sql(sql.resolve(CLEAR_WAKE)).param("ids", ids).update();
            }
            return ids;
        });
    }

    @Override
    public SignalDelivery sendSignal(NewSignal signal) {
        return inTransaction("signal run '" + signal.runId() + "'", () -> deliver(signal));
    }

    /** Within a transaction: locks the run row, so concurrent sends of one signal id take turns. */
    private SignalDelivery deliver(NewSignal signal) {
        Optional<String> status = jdbc.sql(sql.resolve(LOCK_RUN_STATUS)).param("runId", signal.runId())
                .query(String.class).optional();
        if (status.isEmpty()) {
            return SignalDelivery.NOT_FOUND;
        }
        // A duplicate is acknowledged even when the run has ended since: the sender's retry of a
        // signal that was taken (and perhaps ended the run) must not read as a refusal.
        if (signal.signalId() != null && jdbc.sql(sql.resolve(COUNT_SIGNAL_ID)).param("runId", signal.runId())
                .param("signalId", signal.signalId()).query(Long.class).single() > 0) {
            return SignalDelivery.DUPLICATE;
        }
        if (WorkflowStatus.fromWireName(status.get()).isTerminal()) {
            // a suspended run keeps its signals for when it is resumed
            return SignalDelivery.RUN_FINISHED;
        }
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("runId", signal.runId())
                .addValue("name", signal.name());
        JdbcValues.text(params, "payload", signal.payload());
        JdbcValues.text(params, "signalId", signal.signalId());
        values.instant(params, "sentAt", signal.sentAt());
        jdbc.sql(sql.resolve(INSERT_SIGNAL)).paramSource(params).update();
        jdbc.sql(sql.resolve(WAKE_FOR_SIGNAL)).param("runId", signal.runId()).update();
        return SignalDelivery.DELIVERED;
    }

    @Override
    public SignalWithStart signalWithStart(NewRun run, NewSignal signal) {
        // Two callers may both find no run and both insert it: the loser's duplicate key rolls its
        // transaction back, and its second try finds the run and signals it.
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction("signal-with-start run '" + run.id() + "'", () -> {
                    boolean exists = jdbc.sql(sql.resolve(LOCK_RUN_STATUS)).param("runId", run.id())
                            .query(String.class).optional().isPresent();
                    if (!exists) {
                        jdbc.sql(sql.resolve(INSERT_RUN)).paramSource(newRunParams(run)).update();
                    }
                    return new SignalWithStart(!exists, deliver(signal));
                });
            } catch (StoreException e) {
                if (attempt == 2 || !(e.getCause() instanceof DuplicateKeyException)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Optional<PendingSignal> nextSignal(String runId, String name) {
        return translated("read the next '" + name + "' signal of run '" + runId + "'", () -> jdbc.sql(sql.resolve(NEXT_SIGNAL))
                .param("runId", runId)
                .param("name", name)
                .query((rs, row) -> new PendingSignal(rs.getLong("id"), rs.getString("name"), rs.getString("payload")))
                .optional());
    }

    @Override
    public Optional<WorkflowStatus> suspend(String runId) {
        return inTransaction("suspend run '" + runId + "'", () -> {
            Optional<WorkflowStatus> before = findStatus(runId);
            if (before.isPresent() && before.get() == WorkflowStatus.RUNNING
                    && jdbc.sql(sql.resolve(SUSPEND)).param("id", runId).update() == 0) {
                return findStatus(runId);
            }
            return before;
        });
    }

    @Override
    public boolean unsuspend(String runId) {
        return inTransaction("resume run '" + runId + "'", () -> jdbc.sql(sql.resolve(UNSUSPEND)).param("id", runId).update() == 1);
    }

    @Override
    public List<RunRecord> listRuns(RunQuery query) {
        return translated("list runs", () -> jdbc.sql(sql.resolve(LIST_RUNS))
                .paramSource(filter(query).addValue("limit", query.limit()).addValue("offset", query.offset()))
                .query(values.runMapper())
                .list());
    }

    @Override
    public long countRuns(RunQuery query) {
        return translated("count runs", () -> jdbc.sql(sql.resolve(COUNT_RUNS))
                .paramSource(filter(query))
                .query(Long.class)
                .single());
    }

    private static MapSqlParameterSource filter(RunQuery query) {
        // An empty "in ()" is not valid SQL: an unused placeholder value stands in when every status is wanted.
        List<String> statuses = query.statuses().isEmpty() ? List.of("")
                : query.statuses().stream().map(WorkflowStatus::wireName).sorted().toList();
        return new MapSqlParameterSource()
                .addValue("anyStatus", query.statuses().isEmpty() ? 1 : 0)
                .addValue("statuses", statuses)
                .addValue("anyType", query.type() == null ? 1 : 0)
                .addValue("type", query.type() == null ? "" : query.type());
    }

    @Override
    public Map<WorkflowStatus, Long> countByStatus() {
        Map<WorkflowStatus, Long> counts = new java.util.EnumMap<>(WorkflowStatus.class);
        translated("count runs by status", () -> {
            jdbc.sql(sql.resolve(COUNT_BY_STATUS)).query(rs -> {
                counts.put(WorkflowStatus.fromWireName(rs.getString("status")), rs.getLong("runs"));
            });
            return counts;
        });
        return counts;
    }

    @Override
    public long countOverdue(Duration beyond) {
        String statement = sql.resolve(COUNT_OVERDUE.replace("%LEASE_AGO%", sql.dialect().nowPlusMicros(":minusMicros")));
        return translated("count overdue runs", () -> jdbc.sql(statement)
                .param("minusMicros", -(beyond.toNanos() / 1_000))
                .query(Long.class)
                .single());
    }

    @Override
    public DeleteOutcome deleteRun(String runId) {
        return inTransaction("delete run '" + runId + "'", () -> {
            if (jdbc.sql(sql.resolve(DELETE_FINISHED_RUN)).param("id", runId).update() == 1) {
                jdbc.sql(sql.resolve(DELETE_JOURNAL)).param("id", runId).update();
                return DeleteOutcome.DELETED;
            }
            return findStatus(runId).isPresent() ? DeleteOutcome.STILL_RUNNING : DeleteOutcome.NOT_FOUND;
        });
    }

    private String recoverable(String statement) {
        return sql.resolve(statement.replace("%RECOVERABLE%", RECOVERABLE));
    }

    @Override
    public CancelRequest requestCancel(String runId) {
        int updated = inTransaction("request the cancellation of run '" + runId + "'",
                () -> jdbc.sql(sql.resolve(REQUEST_CANCEL)).param("id", runId).update());
        if (updated > 0) {
            return CancelRequest.REQUESTED;
        }
        // A suspended run has no owner to carry the request out: it ends cancelled here and now.
        MapSqlParameterSource suspended = values.instant(new MapSqlParameterSource().addValue("id", runId), "completedAt",
                java.time.Instant.now());
        if (inTransaction("cancel suspended run '" + runId + "'",
                () -> jdbc.sql(sql.resolve(CANCEL_SUSPENDED)).paramSource(suspended).update()) > 0) {
            return CancelRequest.REQUESTED;
        }
        // runs are never deleted nor restarted, so what is not running now will not be running later
        return findStatus(runId).isPresent() ? CancelRequest.ALREADY_FINISHED : CancelRequest.NOT_FOUND;
    }

    @Override
    public List<String> findCancelRequested(String node) {
        return translated("find cancellations for node '" + node + "'", () -> jdbc.sql(sql.resolve(SELECT_CANCEL_REQUESTED))
                .param("node", node)
                .query((rs, row) -> rs.getString("id"))
                .list());
    }

    @Override
    public Instant databaseTime() {
        return translated("read the database clock", () -> jdbc.sql("select " + sql.dialect().now() + " as now")
                .query((rs, row) -> values.requiredInstant(rs, "now"))
                .single());
    }

    /** The dialect in use, detected or configured. */
    public JdbcDialect dialect() {
        return sql.dialect();
    }

    /** The prefix of this store's table names. */
    public String tablePrefix() {
        return sql.tablePrefix();
    }

    /** How many group-commit batches this store writes at once. */
    public int concurrentBatches() {
        return concurrentBatches;
    }

    /** Writes the checkpoints already queued, then stops the flusher thread. */
    @Override
    public void close() {
        committer.close();
    }

    private <T> T translated(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (DataAccessException | TransactionException ex) {
            throw new StoreException("Could not " + what, ex);
        }
    }

    /**
     * Runs {@code call} in a transaction, again when the database picked it as a deadlock victim:
     * claims skip locked rows, so a second attempt is as correct as the first. Every write outside
     * the group commit comes through here: on a pool configured without auto-commit, a write
     * outside a transaction would be rolled back when its connection goes back to the pool.
     */
    private <T> T inTransaction(String what, Supplier<T> call) {
        return translated(what, () -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    return Objects.requireNonNull(transactions.execute(status -> call.get()));
                } catch (PessimisticLockingFailureException ex) {
                    if (attempt == ATTEMPTS_ON_LOCK_FAILURE) {
                        throw ex;
                    }
                }
            }
        });
    }

    /**
     * Options of a {@link JdbcWorkflowStore}. Every option has a default; only the data source is
     * required.
     */
    public static final class Builder {

        private final DataSource dataSource;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private @Nullable Integer concurrentBatches;
        private @Nullable PlatformTransactionManager transactionManager;
        private @Nullable JdbcDialect dialect;
        private CommitObserver observer = CommitObserver.NONE;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The prefix of the table names, {@value #DEFAULT_TABLE_PREFIX} by default; lower-case letters, digits and '_'. */
        public Builder tablePrefix(String tablePrefix) {
            this.tablePrefix = JdbcSchemaInitializer.checkPrefix(tablePrefix);
            return this;
        }

        /** The most checkpoints written in one transaction, {@value #DEFAULT_MAX_BATCH_SIZE} by default. */
        public Builder maxBatchSize(int maxBatchSize) {
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("The batch size must be at least 1, was " + maxBatchSize);
            }
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /**
         * How many group-commit batches may be written at once, each in its own transaction on its
         * own connection: 2 on PostgreSQL, 1 on MariaDB/MySQL and H2 by default. More overlap one
         * batch's round trips and commit with another's work; each holds a pool connection while
         * it writes.
         */
        public Builder concurrentBatches(int concurrentBatches) {
            if (concurrentBatches < 1) {
                throw new IllegalArgumentException("The number of batches written at once must be at least 1, was "
                        + concurrentBatches);
            }
            this.concurrentBatches = concurrentBatches;
            return this;
        }

        /**
         * The transaction manager for the data source, such as the application's; by default a
         * {@link JdbcTransactionManager} of its own.
         */
        public Builder transactionManager(PlatformTransactionManager transactionManager) {
            this.transactionManager = Objects.requireNonNull(transactionManager, "transactionManager");
            return this;
        }

        /** The dialect, instead of detecting it from the database's product name. */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /** Hears about each group-commit transaction; none by default. */
        public Builder observer(CommitObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        public JdbcWorkflowStore build() {
            return new JdbcWorkflowStore(this);
        }
    }
}
