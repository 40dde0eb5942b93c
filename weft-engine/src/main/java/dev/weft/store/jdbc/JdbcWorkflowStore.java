package dev.weft.store.jdbc;

import dev.weft.ConcurrencyLimit;
import dev.weft.WorkflowStatus;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.MissingTablesException;
import dev.weft.failure.StoreException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.store.ActivityRecord;
import dev.weft.store.CancelRequest;
import dev.weft.store.Checkpoint;
import dev.weft.store.ConcurrencyGroup;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.KeyedStart;
import dev.weft.store.LimitedStart;
import dev.weft.store.NewRun;
import dev.weft.store.NewSignal;
import dev.weft.store.PendingSignal;
import dev.weft.store.RunClaim;
import dev.weft.store.RunRecord;
import dev.weft.store.TaskStore;
import dev.weft.store.SignalDelivery;
import dev.weft.store.SignalWithStart;
import dev.weft.store.VisibilityStore;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link WorkflowStore} over a relational database, through Spring's {@link JdbcClient}.
 * Checkpoints are written by a {@link GroupCommitter}; ownership is fenced by the {@code epoch}
 * column in every owner's write; lease times come from the database clock. The statements live
 * with the tables they touch ({@link JdbcRunDao}, {@link JdbcLeaseDao}, {@link JdbcJournalDao},
 * {@link JdbcSignalDao}); this class is the entry point that builds and delegates to them, and
 * offers the readers' {@link VisibilityStore} over the same tables.
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

    /** Weft's tables, without their prefix. */
    static final List<String> TABLES = List.of("run", "journal", "signal", "node", "start_key", "activity_record", "task", "task_queue",
            "concurrency_slot");

    private final StoreTemplate store;
    private final JdbcRunDao runs;
    private final JdbcLeaseDao leases;
    private final JdbcJournalDao journal;
    private final JdbcSignalDao signals;
    private final JdbcStartKeyDao startKeys;
    private final JdbcConcurrencyDao concurrency;
    private final JdbcActivityRecordDao activityRecords;
    private final JdbcWakeChannel wakes;
    private final JdbcTaskStore tasks;
    private final JdbcNodeDao nodes;
    private final JdbcVisibilityStore visibility;
    private final GroupCommitter committer;
    private final int concurrentBatches;

    JdbcWorkflowStore(JdbcWorkflowStoreBuilder builder) {
        DataSource dataSource = builder.dataSource;
        // The first use of the database: a node started before its database waits for it here.
        builder.startupWait.await(dataSource);
        JdbcDialect dialect = builder.dialect != null ? builder.dialect : JdbcDialect.of(dataSource);
        SqlTemplate sql = new SqlTemplate(dialect, builder.tablePrefix);
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(dataSource);
        PlatformTransactionManager transactionManager = builder.transactionManager != null
                ? builder.transactionManager : new JdbcTransactionManager(dataSource);
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        if (dialect.needsReadCommitted()) {
            transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        }
        this.store = new StoreTemplate(sql, named, transactions);
        this.runs = new JdbcRunDao(store);
        this.leases = new JdbcLeaseDao(store);
        this.journal = new JdbcJournalDao(store);
        this.signals = new JdbcSignalDao(store);
        this.concurrency = new JdbcConcurrencyDao(store);
        this.startKeys = new JdbcStartKeyDao(store, concurrency);
        this.activityRecords = new JdbcActivityRecordDao(store);
        this.wakes = new JdbcWakeChannel(store, dataSource, "wake", builder.listenForWakes);
        this.tasks = new JdbcTaskStore(store, new JdbcWakeChannel(store, dataSource, "task", builder.listenForWakes));
        this.nodes = new JdbcNodeDao(store);
        this.visibility = new JdbcVisibilityStore(store, runs, journal, concurrency);
        CheckpointWriter writer = CheckpointWriter.forDialect(named, transactions, sql);
        this.concurrentBatches = builder.concurrentBatches != null ? builder.concurrentBatches : dialect.defaultConcurrentBatches();
        this.committer = new GroupCommitter(writer::write, builder.maxBatchSize, concurrentBatches, builder.observer);
    }

    /** Starts a builder for a store over {@code dataSource}. */
    public static JdbcWorkflowStoreBuilder builder(DataSource dataSource) {
        return new JdbcWorkflowStoreBuilder(dataSource);
    }

    @Override
    public long createRun(NewRun run) {
        // Through the group commit: starts that arrive together share one transaction and one commit.
        for (int attempt = 1; ; attempt++) {
            try {
                committer.submit(Checkpoint.creating(run)).join();
                return 1;
            } catch (CompletionException ex) {
                Throwable cause = ex.getCause();
                if (cause instanceof WorkflowAlreadyExistsException) {
                    // said again with the state of the run that holds the id
                    throw alreadyExists(run.id());
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

    @Override
    public KeyedStart startKeyed(NewRun run, String keyDigest, boolean restartIfEnded, @Nullable ConcurrencyLimit limit) {
        return startKeys.start(run, keyDigest, restartIfEnded, limit);
    }

    @Override
    public LimitedStart startLimited(NewRun run, ConcurrencyLimit limit) {
        try {
            return concurrency.start(run, limit);
        } catch (StoreException e) {
            if (e.getCause() instanceof DuplicateKeyException && runs.findStatus(run.id()).isPresent()) {
                throw alreadyExists(run.id());
            }
            throw e;
        }
    }

    @Override
    public List<String> admitQueued(ConcurrencyGroup group) {
        return concurrency.admit(group);
    }

    @Override
    public List<ConcurrencyGroup> queuedGroups() {
        return concurrency.queuedGroups();
    }

    @Override
    public TaskStore tasks() {
        return tasks;
    }

    @Override
    public void announceWake(String runId) {
        wakes.announce(runId);
    }

    @Override
    public @Nullable AutoCloseable listenForWakes(Consumer<String> onWake) {
        return wakes.listen(onWake);
    }

    @Override
    public Optional<ActivityRecord> findActivityRecord(String runId, String activity, String keyDigest) {
        return activityRecords.find(runId, activity, keyDigest);
    }

    @Override
    public void writeActivityRecord(ActivityRecord record, long epoch) {
        activityRecords.write(record, epoch);
    }

    @Override
    public Optional<ActivityRecord> startActivityRecord(ActivityRecord started, long epoch) {
        return activityRecords.start(started, epoch);
    }

    private WorkflowAlreadyExistsException alreadyExists(String runId) {
        String state = runs.findStatus(runId)
                .map(status -> status == WorkflowStatus.RUNNING ? "is still running" : !status.isTerminal() ? "is " + status.wireName() : "has ended " + status.wireName())
                .orElse("existed");
        return new WorkflowAlreadyExistsException("A run with id '" + runId + "' already exists and " + state);
    }

    @Override
    public Optional<RunRecord> findRun(String runId) {
        return runs.findRun(runId);
    }

    @Override
    public List<JournalEntry> loadJournal(String runId) {
        return journal.loadJournal(runId);
    }

    @Override
    public Map<String, RunRecord> findRuns(Collection<String> runIds) {
        return runs.findRuns(runIds);
    }

    @Override
    public Map<String, List<JournalEntry>> loadJournals(Collection<String> runIds) {
        return journal.loadJournals(runIds);
    }

    @Override
    public CompletableFuture<Void> commit(Checkpoint checkpoint) {
        return committer.submit(checkpoint);
    }

    @Override
    public List<RunClaim> claimRecoverable(String node, Instant ownClaimedBefore, Instant wakeDueBy, Collection<String> types,
            Duration lease, int limit) {
        return leases.claimRecoverable(node, ownClaimedBefore, wakeDueBy, types, lease, limit);
    }

    @Override
    public Optional<RunClaim> claim(String runId, String node, Duration lease) {
        return leases.claim(runId, node, lease);
    }

    @Override
    public int renewLeases(String node, Collection<String> runIds, Duration lease) {
        return leases.renewLeases(node, runIds, lease);
    }

    @Override
    public void release(String runId, long epoch) {
        leases.release(runId, epoch);
    }

    @Override
    public Map<String, Long> countRecoverableOfOtherTypes(String node, Instant ownClaimedBefore, Collection<String> knownTypes) {
        return leases.countRecoverableOfOtherTypes(node, ownClaimedBefore, knownTypes);
    }

    @Override
    public CancelRequest requestCancel(String runId) {
        return runs.requestCancel(runId);
    }

    @Override
    public List<String> findCancelRequested(String node) {
        return runs.findCancelRequested(node);
    }

    @Override
    public Instant databaseTime() {
        return store.databaseTime();
    }

    @Override
    public void checkSchema() {
        List<String> missing = TABLES.stream().map(table -> store.sql().tablePrefix() + table)
                .filter(table -> !exists(table)).toList();
        if (!missing.isEmpty()) {
            JdbcDialect dialect = store.sql().dialect();
            throw new MissingTablesException(missing, store.sql().tablePrefix(), dialect.platform(), dialect.schemaLocation());
        }
    }

    private boolean exists(String table) {
        try {
            // outside a transaction: on PostgreSQL a failed statement would spoil the rest of one
            store.jdbc().sql("select 1 from " + table + " where 1 = 0").query().singleColumn();
            return true;
        } catch (BadSqlGrammarException e) {
            return false;
        } catch (DataAccessException e) {
            throw new StoreException("Could not check that table " + table + " exists", e);
        }
    }

    @Override
    public void registerNode(String nodeId, @Nullable String host, @Nullable Long pid, Duration staleAfter) {
        nodes.register(nodeId, host, pid, staleAfter);
    }

    @Override
    public boolean heartbeatNode(String nodeId) {
        return nodes.heartbeat(nodeId);
    }

    @Override
    public void removeNode(String nodeId) {
        nodes.remove(nodeId);
    }

    @Override
    public Optional<JournalEntry> findJournalEntry(String runId, long seq) {
        return journal.findJournalEntry(runId, seq);
    }

    @Override
    public boolean resolvePending(String runId, long seq, int attempt, EntryState outcome, @Nullable String result,
            @Nullable FailureInfo failure) {
        return journal.resolvePending(runId, seq, attempt, outcome, result, failure);
    }

    @Override
    public List<String> takeWakeRequests(String node) {
        return runs.takeWakeRequests(node);
    }

    @Override
    public SignalDelivery sendSignal(NewSignal signal) {
        return signals.sendSignal(signal);
    }

    @Override
    public SignalWithStart signalWithStart(NewRun run, NewSignal signal) {
        return signals.signalWithStart(run, signal);
    }

    @Override
    public Optional<PendingSignal> nextSignal(String runId, String name) {
        return signals.nextSignal(runId, name);
    }

    @Override
    public Optional<WorkflowStatus> suspend(String runId) {
        return runs.suspend(runId);
    }

    @Override
    public boolean unsuspend(String runId) {
        return runs.unsuspend(runId);
    }

    @Override
    public VisibilityStore visibility() {
        return visibility;
    }

    /** The dialect in use, detected or configured. */
    public JdbcDialect dialect() {
        return store.sql().dialect();
    }

    /** The prefix of this store's table names. */
    public String tablePrefix() {
        return store.sql().tablePrefix();
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
}
