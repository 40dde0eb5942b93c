package dev.weft.bench;

import com.sun.management.OperatingSystemMXBean;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The child process of W3 for the peer DBOS. {@code crash}: starts the runs, lets step 1 of each be
 * checkpointed and holds step 2, prints {@code ARMED} and waits to be killed. {@code recover}: prints
 * {@code READY}, launches DBOS (which recovers the executor's pending runs) and prints {@code DONE
 * <seconds> <step-1 executions> <runs succeeded> <cpu seconds>} once every run succeeded.
 */
final class DbosRecoveryChild {

    static final String COMMAND = "w3-dbos-child";
    static final String APPLICATION = "weft-bench-w3-dbos-child";

    private DbosRecoveryChild() {
    }

    // arguments: mode url user password executor runs
    static void main(String[] args) throws Exception {
        String mode = args[0];
        Database database = Database.postgresAt(args[1], args[2], args[3]);
        String executor = args[4];
        int runs = Integer.parseInt(args[5]);
        HikariDataSource pool = database.pool(72, APPLICATION);
        if (mode.equals("crash")) {
            Flows.stepTwoGate = new CountDownLatch(1);
            DbosPeer peer = DbosPeer.launch(pool, executor);
            System.out.println("READY");
            System.out.flush();
            ClosedLoop.run(64, runs, peer::startRecoverable);
            while (DbosPeer.recordedSteps(pool, Flows.STEP_ONE) < runs) {
                Benchmarks.pause(Duration.ofMillis(20));
            }
            System.out.println("ARMED");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        System.out.println("READY");
        System.out.flush();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        DbosPeer peer = DbosPeer.launch(pool, executor);
        int succeeded;
        while ((succeeded = DbosPeer.succeeded(pool)) < runs) {
            Benchmarks.pause(Duration.ofMillis(10));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("DONE " + seconds + " " + Flows.STEP_ONE_EXECUTIONS.get() + " " + succeeded + " "
                + (os.getProcessCpuTime() - cpu) / 1e9);
        System.out.flush();
        peer.close();
        pool.close();
        System.exit(0);
    }
}
