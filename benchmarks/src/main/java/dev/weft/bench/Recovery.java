package dev.weft.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.weft.WeftEngine;
import dev.weft.event.EngineEvent;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import java.io.IOException;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W3: a child JVM starts the runs, step 1 of each is recorded and step 2 held, and the child is
 * SIGKILLed. Then either a fresh child of the same node recovers them (the time from its engine
 * being ready until every run completed), or an engine already running in this process adopts them
 * once their leases lapse. Step 1 counts its executions in the recovering process: every one would
 * be a re-execution of a recorded activity.
 */
final class Recovery {

    private static final long CRASH_LEASE_SECONDS = 30;
    private static final long ADOPTION_LEASE_SECONDS = 2;

    private final Database database;
    private final Scale scale;
    private final Results results;

    Recovery(Database database, Scale scale, Results results) {
        this.database = database;
        this.scale = scale;
        this.results = results;
    }

    void run() throws Exception {
        for (int round = 1; round <= scale.recoveryRounds(); round++) {
            restart(round);
            adoption(round);
        }
    }

    private void restart(int round) throws Exception {
        int runs = scale.recoveryRuns();
        String node = "w3-restart-" + round;
        crash(node, runs, CRASH_LEASE_SECONDS);
        ChildProcess recovering = child("recover", node, runs, CRASH_LEASE_SECONDS);
        recovering.await("READY");
        String[] done = recovering.await("DONE").split(" ");
        recovering.process().waitFor();
        double seconds = Double.parseDouble(done[1]);
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("recoverySeconds", seconds);
        extra.put("reExecutions", Double.parseDouble(done[2]));
        extra.put("recovered", Double.parseDouble(done[3]));
        results.add(new Trial("W3", database.label(), "engine", "fresh process, same node", 1, round, runs, "runs", seconds,
                runs / seconds, Double.NaN, Double.NaN, Double.NaN, null, null, Double.parseDouble(done[4]) * 1000 / runs, extra));
    }

    private void adoption(int round) throws Exception {
        int runs = scale.recoveryRuns();
        database.truncate();
        AtomicInteger completed = new AtomicInteger();
        Flows.STEP_ONE_EXECUTIONS.set(0);
        try (HikariDataSource pool = database.pool(72, "weft-bench-w3-adopter"); JdbcWorkflowStore store = Flows.store(pool);
             WeftEngine adopter = Flows.engine(store, "w3-adopter-" + round, TimeSource.system())
                     .adoptionInterval(Duration.ofMillis(100))
                     .listener(event -> {
                         if (event instanceof EngineEvent.WorkflowCompleted) {
                             completed.incrementAndGet();
                         }
                     })
                     .build()) {
            double leaseLeft = crash("w3-doomed-" + round, runs, ADOPTION_LEASE_SECONDS);
            long start = System.nanoTime();
            while (completed.get() < runs) {
                Benchmarks.pause(Duration.ofMillis(1));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> extra = new LinkedHashMap<>();
            extra.put("recoverySeconds", seconds);
            extra.put("afterLeaseLapsedSeconds", seconds - leaseLeft);
            extra.put("reExecutions", (double) Flows.STEP_ONE_EXECUTIONS.get());
            extra.put("leaseSeconds", (double) ADOPTION_LEASE_SECONDS);
            results.add(new Trial("W3", database.label(), "engine", "adopted by a running engine", 1, round, runs, "runs", seconds,
                    runs / seconds, Double.NaN, Double.NaN, Double.NaN, null, null, Double.NaN, extra));
        }
    }

    /**
     * Starts the runs in a child, waits until step 1 of every run is recorded, and kills it.
     *
     * @return seconds until the latest lease of the killed child lapses, by the database's clock
     */
    private double crash(String node, int runs, long leaseSeconds) throws Exception {
        if (!node.startsWith("w3-doomed")) {
            database.truncate();
        }
        ChildProcess doomed = child("crash", node, runs, leaseSeconds);
        doomed.await("ARMED");
        if (RecoveryChild.recordedStepOnes(dataSourceless()) != runs) {
            throw new IllegalStateException("step 1 is not recorded for every run");
        }
        doomed.kill();
        database.awaitSessionsEnded(RecoveryChild.APPLICATION);
        double[] left = new double[1];
        Database.execute(database.url(), database.user(), database.password(), conn -> {
            try (ResultSet rs = conn.createStatement().executeQuery("select extract(epoch from max(lease_expires_at) - now()) "
                    + "from weft_run where status = 'running'")) {
                rs.next();
                left[0] = rs.getDouble(1);
            }
        });
        return left[0];
    }

    private javax.sql.DataSource dataSourceless() {
        return new org.springframework.jdbc.datasource.DriverManagerDataSource(database.url(), database.user(), database.password());
    }

    private ChildProcess child(String mode, String node, int runs, long leaseSeconds) throws IOException {
        return ChildProcess.start(List.of(RecoveryChild.COMMAND, mode, database.url(), database.user(), database.password(), node,
                Integer.toString(runs), Long.toString(leaseSeconds)), node + "-" + mode);
    }
}
