package dev.weft.bench;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Queue;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The peer DBOS Java ({@code dev.dbos:transact}) on the benchmark's PostgreSQL database: its tables
 * live in a schema of their own, {@value #SCHEMA}, created by DBOS's own migrations when it launches,
 * emptied before every trial and dropped at the end of the run. One instance per trial, over the
 * trial's pool, like the engine.
 */
final class DbosPeer implements AutoCloseable {

    static final String SCHEMA = "weft_bench_dbos";
    /** W7's queue, served by this process's workers only ({@code workerConcurrency}), as the engine's pool. */
    static final String QUEUE = "w7";
    /** Fixed, so that a fresh process recovers the runs of a killed one (DBOS recovers only its own version's runs). */
    private static final String APP_VERSION = "weft-bench";

    private final DBOS dbos;
    private final DbosFlows flows;

    private DbosPeer(DBOS dbos, DbosFlows flows) {
        this.dbos = dbos;
        this.flows = flows;
    }

    /** Launches DBOS as executor {@code executorId}; on launch it recovers that executor's pending runs. */
    static DbosPeer launch(DataSource pool, String executorId) {
        return launch(pool, executorId, null);
    }

    /**
     * Launches DBOS with W7's queue {@value #QUEUE}, {@code workers} of its workflows at once in this
     * process, polled every {@code polling} (DBOS's queues are polled; its default is
     * {@link Queue#DEFAULT_POLLING_INTERVAL}). A queue must be registered before the launch.
     */
    static DbosPeer launchWithQueue(DataSource pool, String executorId, int workers, Duration polling) {
        return launch(pool, executorId, new Queue(QUEUE).withWorkerConcurrency(workers).withPollingInterval(polling));
    }

    private static DbosPeer launch(DataSource pool, String executorId, @Nullable Queue queue) {
        DBOS dbos = new DBOS(DBOSConfig.defaults("weft-bench").withDataSource(pool).withDatabaseSchema(SCHEMA)
                .withExecutorId(executorId).withAppVersion(APP_VERSION));
        if (queue != null) {
            dbos.registerQueue(queue);
        }
        DbosFlows.Code code = new DbosFlows.Code(dbos);
        DbosFlows flows = dbos.registerProxy(DbosFlows.class, code);
        code.proxiedAs(flows);
        dbos.launch();
        return new DbosPeer(dbos, flows);
    }

    /** Runs a workflow of {@code steps} no-op steps to its end, as the engine's {@code start(...).result()}. */
    Integer steps(int input, int steps) {
        return dbos.startWorkflow(() -> flows.steps(input, steps)).getResult();
    }

    /** Runs a workflow of {@code steps} no-op steps through the queue to its end (W7; launched with {@link #launchWithQueue}). */
    Integer queuedSteps(int input, int steps) {
        return dbos.startWorkflow(() -> flows.queuedSteps(input, steps)).getResult();
    }

    void startRecoverable(int input) {
        dbos.startWorkflow(() -> flows.recoverable(input));
    }

    void startNap(int input) {
        dbos.startWorkflow(() -> flows.nap(input));
    }

    @Override
    public void close() {
        dbos.close();
    }

    /** Drops DBOS's schema (at the start and at the end of a run). */
    static void dropSchema(Database database) {
        Database.execute(database.url(), database.user(), database.password(),
                conn -> conn.createStatement().execute("drop schema if exists " + SCHEMA + " cascade"));
    }

    /** Empties DBOS's tables, if they exist yet, keeping its record of migrations. */
    static void truncate(Database database) {
        Database.execute(database.url(), database.user(), database.password(), conn -> {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = conn.createStatement().executeQuery("select table_name from information_schema.tables "
                    + "where table_schema = '" + SCHEMA + "' and table_type = 'BASE TABLE' and table_name <> 'dbos_migrations'")) {
                while (rs.next()) {
                    tables.add(SCHEMA + "." + rs.getString(1));
                }
            }
            if (!tables.isEmpty()) {
                conn.createStatement().execute("truncate table " + String.join(", ", tables) + " cascade");
            }
        });
    }

    /** Checkpoints of the step {@code name} that completed (DBOS's {@code operation_outputs}). */
    static int recordedSteps(DataSource pool, String name) {
        return count(pool, "select count(*) from " + SCHEMA + ".operation_outputs where function_name = '" + name
                + "' and error is null");
    }

    /** Workflows that ended successfully. */
    static int succeeded(DataSource pool) {
        return count(pool, "select count(*) from " + SCHEMA + ".workflow_status where status = 'SUCCESS'");
    }

    /** Bytes of the tables a run writes (status and checkpoints), with their indexes and TOAST. */
    static long tableBytes(Database database) {
        long[] bytes = new long[1];
        Database.execute(database.url(), database.user(), database.password(), conn -> {
            try (ResultSet rs = conn.createStatement().executeQuery("select pg_total_relation_size('" + SCHEMA
                    + ".workflow_status') + pg_total_relation_size('" + SCHEMA + ".operation_outputs')")) {
                rs.next();
                bytes[0] = rs.getLong(1);
            }
        });
        return bytes[0];
    }

    private static int count(DataSource pool, String sql) {
        int[] count = new int[1];
        Database.execute(pool, conn -> {
            try (ResultSet rs = conn.createStatement().executeQuery(sql)) {
                rs.next();
                count[0] = rs.getInt(1);
            }
        });
        return count[0];
    }
}
