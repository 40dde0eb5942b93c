package dev.weft.soak;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.WeftEngine;
import dev.weft.soak.SoakChecks.Verdict;
import dev.weft.store.jdbc.JdbcDialect;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testsupport.PrivateDatabase;
import dev.weft.testsupport.PrivateMariaDb;
import dev.weft.testsupport.PrivatePostgres;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one soak: starts a private database, the nodes and the faults, submits the runs, lets them
 * end, checks, and prints and writes the summary ({@code <dir>/summary.txt}). As a program it exits
 * with 1 when a check found a violation. Arguments: see {@link SoakSettings#parse(String...)}.
 */
public final class SoakRunner {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);

    private final SoakSettings settings;
    private final PrintStream out;

    SoakRunner(SoakSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        SoakSettings settings = SoakSettings.parse(args);
        SoakReport report = new SoakRunner(settings, System.out).run();
        System.exit(report.passed() ? 0 : 1);
    }

    SoakReport run() throws Exception {
        Path directory = settings.directory().toAbsolutePath();
        Files.createDirectories(directory.resolve("logs"));
        out.println(Instant.now() + " soak: " + settings);
        PrivateDatabase database = startDatabase(directory.resolve("db"));
        out.println(Instant.now() + " private database " + database);
        // an interrupted soak (Ctrl-C) must not leave its server running; the workers halt once their input closes
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                database.close();
            }
        };
        Thread hook = new Thread(close, "soak-clean-up");
        Runtime.getRuntime().addShutdownHook(hook);
        try (HikariDataSource pool = pool(database)) {
            return soak(database, pool, directory);
        } finally {
            close.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran already
            }
        }
    }

    private SoakReport soak(PrivateDatabase database, HikariDataSource pool, Path directory) throws Exception {
        JdbcSchemaInitializer.initialize(pool, JdbcDialect.of(pool), JdbcWorkflowStore.DEFAULT_TABLE_PREFIX);
        ExecutionLog.createTable(pool);
        Map<Long, Instant> deaths = new ConcurrentHashMap<>();
        List<WorkerNode> nodes = new ArrayList<>();
        for (int i = 1; i <= settings.nodes(); i++) {
            nodes.add(new WorkerNode("node-" + i, database, settings.lease(), settings.socketTimeout(), directory.resolve("logs"), deaths));
        }
        try (WeftEngine client = WeftEngine.builder().store(JdbcWorkflowStore.builder(pool).build()).nodeId("soak-client")
                .worker(false).workflow(SoakWorkflow.definition()).build()) {
            nodes.forEach(WorkerNode::start);
            Submitter submitter = new Submitter(client, settings);
            FaultInjector faults = new FaultInjector(settings, database, nodes, out);
            Thread progress = Thread.ofPlatform().daemon().name("soak-progress").start(() -> reportProgress(pool, submitter));
            long startNanos = System.nanoTime();
            faults.start();
            submitter.submitAll();
            faults.stop();
            Duration submitting = Duration.ofNanos(System.nanoTime() - startNanos);
            out.println(Instant.now() + " submitted " + submitter.acknowledged().size() + " runs in " + submitting.toSeconds()
                    + " s; faults stopped, waiting for every run to end");
            long drainNanos = System.nanoTime();
            awaitEveryRunEnded(pool, submitter.acknowledged().size());
            Duration draining = Duration.ofNanos(System.nanoTime() - drainNanos);
            progress.interrupt();
            Instant end = Instant.now();
            nodes.forEach(WorkerNode::close);
            Verdict verdict = new SoakChecks(pool, database.platform()).check(submitter.acknowledged(), deaths, end);
            SoakReport report = new SoakReport(settings, submitting, draining, submitter.submitted(), submitter.failedStarts(),
                    submitter.failedSignals(), faults.kills(), faults.databaseRestarts(), faults.partitions(),
                    faults.exitsOnTheirOwn(), verdict);
            String summary = report.format();
            out.print(summary);
            Files.writeString(directory.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
            return report;
        } finally {
            nodes.forEach(WorkerNode::close);
        }
    }

    private PrivateDatabase startDatabase(Path directory) {
        return switch (settings.platform()) {
            case "postgresql" -> PrivatePostgres.start(directory);
            default -> PrivateMariaDb.start(directory);
        };
    }

    private static HikariDataSource pool(PrivateDatabase database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(6);
        config.setConnectionTimeout(Duration.ofSeconds(2).toMillis());
        config.setPoolName("soak-runner");
        return new HikariDataSource(config);
    }

    private void awaitEveryRunEnded(HikariDataSource pool, int acknowledged) throws InterruptedException {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (count(pool, "select count(*) from weft_run where status <> 'running'") >= acknowledged
                        && count(pool, "select count(*) from weft_run where status = 'running'") == 0) {
                    return;
                }
            } catch (SQLException e) {
                // the database is back soon; the checks read it at the end
            }
            Thread.sleep(1000);
        }
        out.println(Instant.now() + " runs still running after the drain timeout of " + settings.drainTimeout());
    }

    private void reportProgress(HikariDataSource pool, Submitter submitter) {
        try {
            while (true) {
                Thread.sleep(PROGRESS_EVERY);
                String completed;
                try {
                    completed = Long.toString(count(pool, "select count(*) from weft_run where status = 'completed'"));
                } catch (SQLException e) {
                    completed = "? (database away)";
                }
                out.println(Instant.now() + " progress: submitted " + submitter.submitted() + ", acknowledged "
                        + submitter.acknowledged().size() + ", completed " + completed);
            }
        } catch (InterruptedException e) {
            // the soak ended
        }
    }

    private static long count(HikariDataSource pool, String sql) throws SQLException {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
