package dev.weft.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.weft.LogCategories;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WorkflowStatus;
import dev.weft.activity.ActivityDefinition;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunRecord;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.LogCapture;
import dev.weft.testing.TestDatabase;
import dev.weft.workflow.WorkflowDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A slow database and a starved connection pool, on a real database: node A reaches it through a
 * {@link dev.weft.testsupport.TcpProxy} that delays every chunk of bytes, with a pool of one or two
 * connections that the test also takes for itself; node B, healthy and adopting every quarter
 * second, stands by. The engine slows down and nothing else: every run completes, every step runs
 * and is recorded once, no lease renewal or checkpoint fails, and B takes no run from A.
 */
abstract class SlowDatabaseTests {

    // Wide margins, so that a machine busy with other work slows the test down without failing it:
    // a lease of 8 s is given up 7 s after the last renewal that got through, and a request for a
    // connection waits 5 s, while the pool is held full for 1.5 s.
    private static final Duration LEASE = Duration.ofSeconds(8);
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RENEWAL = Duration.ofSeconds(1);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration LATENCY = Duration.ofMillis(30);
    private static final String WORKFLOW = "slow";
    private static final List<String> STEPS = List.of("step1", "step2", "step3");
    private static final int RUNS = 10;
    private static final String RESULT = "step3(step2(step1(x)))";

    private final EngineFixture fixture = new EngineFixture(database());
    private final JdbcWorkflowStore direct = fixture.newStore();
    private final ExecutionLog log = new ExecutionLog();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final CountDownLatch step1Reached = new CountDownLatch(RUNS);
    private final CountDownLatch go = new CountDownLatch(1);

    abstract TestDatabase database();

    @AfterEach
    void cleanUp() throws Exception {
        go.countDown();
        fixture.close();
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aSlowDatabaseBehindAPoolOfOneConnectionSlowsTheEngineDownAndLosesNothing() throws Exception {
        runThroughSlowPool(1, Duration.ZERO, false);
    }

    @Test
    void aFullPoolThatTheApplicationHoldsForLongerThanARenewalIntervalLosesNothing() throws Exception {
        runThroughSlowPool(2, RENEWAL.plusMillis(500), true);
    }

    /**
     * Starts the runs on A, slows A's link down, takes every connection of A's pool for {@code fullFor}
     * while the runs want to write, and then, with {@code neighbour}, keeps one connection busy on and
     * off until they end.
     */
    private void runThroughSlowPool(int poolSize, Duration fullFor, boolean neighbour) throws Exception {
        ProxiedPool pool = ProxiedPool.open(database(), "node-a", poolSize, LEASE, CONNECTION_TIMEOUT);
        toClose.add(pool);
        // a pool of one or two connections cannot spare one for the wake listener
        JdbcWorkflowStore storeOfA = JdbcWorkflowStore.builder(pool.dataSource()).tablePrefix(fixture.schema().tablePrefix())
                .listenForWakes(false).build();
        toClose.add(storeOfA);
        WeftEngine nodeA = fixture.engine("node-a", builder -> {
            builder.store(storeOfA).lease(LEASE).leaseRenewInterval(RENEWAL).adoptionInterval(Duration.ofMillis(250))
                    .workflow(threeSteps());
            activities("node-a").forEach(builder::activity);
        });
        fixture.engine("node-b", builder -> {
            builder.lease(LEASE).leaseRenewInterval(RENEWAL).adoptionInterval(Duration.ofMillis(250)).workflow(threeSteps());
            activities("node-b").forEach(builder::activity);
        });
        List<String> ids = IntStream.rangeClosed(1, RUNS).mapToObj(i -> "slow-%02d".formatted(i)).toList();
        ids.forEach(id -> nodeA.start(WORKFLOW, "x", StartOptions.withId(id)));
        await().atMost(PATIENCE).until(() -> step1Reached.getCount() == 0);

        try (LogCapture engineLog = LogCapture.of(LogCategories.ENGINE, Level.WARN);
                LogCapture storeLog = LogCapture.of(LogCategories.STORE, Level.WARN);
                LogCapture runsLog = LogCapture.of(LogCategories.RUNS, Level.WARN)) {
            pool.proxy().delay(LATENCY);
            List<Connection> taken = new ArrayList<>();
            for (int i = 0; i < poolSize; i++) {
                taken.add(pool.dataSource().getConnection());
            }
            // every run's step 1 returns now, and its checkpoint waits for a connection, as the renewals do
            go.countDown();
            holdFor(fullFor);
            for (Connection connection : taken) {
                connection.close();
            }
            try (BusyNeighbour busy = neighbour ? BusyNeighbour.start(pool) : null) {
                for (String id : ids) {
                    assertThat(nodeA.handle(id).result(PATIENCE)).isEqualTo(RESULT);
                }
                assertThat(busy == null || busy.turns() > 0).as("the neighbour took connections").isTrue();
            }

            assertThat(engineLog.events()).as("lease renewal warnings or errors").isEmpty();
            assertThat(storeLog.events()).as("failed checkpoints").isEmpty();
            assertThat(runsLog.events()).as("lost or failed runs").isEmpty();
        }
        assertThat(nodeA.isLeaseRenewalFailing()).isFalse();
        // never adopted: each run kept the epoch A created it with, and B ran nothing
        assertThat(direct.findRuns(ids).values()).allSatisfy(run -> {
            assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(run.epoch()).as("epoch of %s", run.id()).isEqualTo(1);
        });
        assertThat(direct.findRuns(ids).values()).extracting(RunRecord::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(log.all()).hasSize(RUNS * STEPS.size()).allSatisfy(execution -> {
            assertThat(execution.node).isEqualTo("node-a");
            assertThat(execution.returned()).isTrue();
        });
        assertThat(direct.loadJournals(ids)).hasSize(RUNS).allSatisfy((id, journal) -> {
            assertThat(journal).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L);
            assertThat(journal).extracting(JournalEntry::state).containsOnly(EntryState.COMPLETED);
        });
    }

    /** Fault injection, not a measurement: the pool stays full this long. */
    private static void holdFor(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration);
        }
    }

    private static WorkflowDefinition<String, String> threeSteps() {
        return WorkflowDefinition.of(WORKFLOW, String.class, String.class, (context, input) -> {
            String result = input;
            for (String step : STEPS) {
                result = context.run(step, result, String.class);
            }
            return result;
        });
    }

    /** Activities that log their executions; step 1 waits for the test's go. */
    private List<ActivityDefinition<String, String>> activities(String node) {
        return STEPS.stream().map(step -> ActivityDefinition.of(step, String.class, String.class, (input, context) -> {
            ExecutionLog.Execution execution = log.begin(node, context.workflowId(), step);
            if (step.equals("step1")) {
                step1Reached.countDown();
                go.await();
            }
            execution.ended(true);
            return step + "(" + input + ")";
        })).toList();
    }

    /**
     * The application next door: takes one connection of the pool for a while, gives it back,
     * and takes it again, until closed.
     */
    private static final class BusyNeighbour implements AutoCloseable {

        private static final Duration HOLD = Duration.ofMillis(200);
        private static final Duration GAP = Duration.ofMillis(50);

        private final Thread thread;
        private volatile boolean stopped;
        private volatile int turns;

        private BusyNeighbour(ProxiedPool pool) {
            this.thread = Thread.ofVirtual().name("busy-neighbour").start(() -> {
                while (!stopped) {
                    try (Connection ignored = pool.dataSource().getConnection()) {
                        turns++;
                        Thread.sleep(HOLD);
                    } catch (SQLException e) {
                        throw new IllegalStateException("the neighbour could not get a connection", e);
                    } catch (InterruptedException e) {
                        return;
                    }
                    try {
                        Thread.sleep(GAP);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static BusyNeighbour start(ProxiedPool pool) {
            return new BusyNeighbour(pool);
        }

        int turns() {
            return turns;
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join(Duration.ofSeconds(5));
        }
    }
}
