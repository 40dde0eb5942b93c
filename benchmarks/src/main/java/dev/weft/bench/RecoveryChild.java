package dev.weft.bench;

import com.sun.management.OperatingSystemMXBean;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.RecoveryReport;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.event.EngineEvent;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import java.lang.management.ManagementFactory;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child process of W3. {@code crash}: starts the runs, lets step 1 of each be recorded and holds
 * step 2, prints {@code ARMED} and waits to be killed. {@code recover}: prints {@code READY} once its
 * engine is built, recovers, and prints {@code DONE <seconds> <step-1 executions> <runs recovered>
 * <cpu seconds>} when every run completed.
 */
final class RecoveryChild {

    static final String COMMAND = "w3-child";
    static final String APPLICATION = "weft-bench-w3-child";

    private RecoveryChild() {
    }

    // arguments: mode url user password node runs leaseSeconds
    static void main(String[] args) throws Exception {
        String mode = args[0];
        Database database = Database.postgresAt(args[1], args[2], args[3]);
        String node = args[4];
        int runs = Integer.parseInt(args[5]);
        Duration lease = Duration.ofSeconds(Long.parseLong(args[6]));
        AtomicInteger completed = new AtomicInteger();
        HikariDataSource pool = database.pool(72, APPLICATION);
        JdbcWorkflowStore store = Flows.store(pool);
        if (mode.equals("crash")) {
            Flows.stepTwoGate = new CountDownLatch(1);
        }
        WeftEngine engine = Flows.engine(store, node, TimeSource.system()).lease(lease)
                .listener(event -> {
                    if (event instanceof EngineEvent.WorkflowCompleted) {
                        completed.incrementAndGet();
                    }
                })
                .build();
        System.out.println("READY");
        System.out.flush();
        if (mode.equals("crash")) {
            ClosedLoop.run(64, runs, i -> engine.start(Flows.RECOVERABLE, i, StartOptions.defaults()));
            while (recordedStepOnes(pool) < runs) {
                Benchmarks.pause(Duration.ofMillis(20));
            }
            System.out.println("ARMED");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        RecoveryReport report = engine.recoverAll();
        while (completed.get() < runs) {
            Thread.onSpinWait();
            Thread.sleep(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("DONE " + seconds + " " + Flows.STEP_ONE_EXECUTIONS.get() + " " + report.recovered().size() + " "
                + (os.getProcessCpuTime() - cpu) / 1e9);
        System.out.flush();
        engine.close();
        store.close();
        pool.close();
        System.exit(0);
    }

    static int recordedStepOnes(javax.sql.DataSource pool) {
        int[] count = new int[1];
        Database.execute(pool, conn -> {
            try (ResultSet rs = conn.createStatement().executeQuery("select count(*) from weft_journal where name = '"
                    + Flows.STEP_ONE + "' and state = 'completed'")) {
                rs.next();
                count[0] = rs.getInt(1);
            }
        });
        return count[0];
    }
}
