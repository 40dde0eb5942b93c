package dev.weft.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.weft.LogCategories;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WorkflowStatus;
import dev.weft.activity.ActivityDefinition;
import dev.weft.failure.OwnershipLostException;
import dev.weft.fault.ExecutionLog.Execution;
import dev.weft.store.Checkpoint;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunRecord;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.testing.LogCapture;
import dev.weft.testing.TestDatabase;
import dev.weft.testsupport.TcpProxy;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A network partition between a live node and the database, on a real database: node A reaches it
 * through a {@link TcpProxy} that the test blackholes (packets vanish, calls hang) or cuts
 * (connections reset), while A's JVM keeps running; node B reaches it directly.
 *
 * <p>What each test proves: A gives up its runs before its leases lapse by the database's clock (its
 * activities' cancellation signals fire before the last lease the database held for A ran out); B
 * adopts every run and completes it; no execution of a step on B began before A's execution of that
 * step had been told to stop and had ended (one clock orders both: they share this JVM); and once the
 * network is back, A's late writes (the checkpoint of a step A finished inside the partition, a lease
 * renewal) change nothing: the checkpoint is refused as a lost ownership, and every step is recorded
 * once. H2 in memory has no network to partition, so these run on PostgreSQL and MariaDB only.
 */
abstract class NetworkPartitionTests {

    private static final Duration LEASE = Duration.ofSeconds(4);
    private static final Duration RENEWAL = Duration.ofSeconds(1);
    private static final Duration ADOPTION = Duration.ofMillis(250);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String WORKFLOW = "partitioned";
    private static final List<String> STEPS = List.of("step1", "step2", "step3");
    /** Its step 2 ends on A just after the partition begins, so A's checkpoint of it is late. */
    private static final String LATE = "late";
    /** Still running on B (at its step 3) when the network returns, so that A's late renewal meets a live lease. */
    private static final String STILL_RUNNING = "part-1";
    private static final List<String> RUNS = List.of(STILL_RUNNING, "part-2", "part-3", LATE);
    /** Step 1 recorded by A, steps 2 and 3 by B. */
    private static final String RESULT = "step3(step2(step1(x)@node-a)@node-b)@node-b";

    private final EngineFixture fixture = new EngineFixture(database());
    private final ProxiedPool poolOfA = ProxiedPool.open(database(), "node-a", 4, LEASE.dividedBy(2));
    private final JdbcWorkflowStore storeOfA = JdbcWorkflowStore.builder(poolOfA.dataSource())
            .tablePrefix(fixture.schema().tablePrefix()).build();
    private final JdbcWorkflowStore direct = fixture.newStore();
    private final ExecutionLog log = new ExecutionLog();
    private final CountDownLatch step2ReachedOnA = new CountDownLatch(RUNS.size());
    private final CountDownLatch releaseLateStep2 = new CountDownLatch(1);
    private final Gate stillRunningStep3OnB = new Gate();

    /** The database partitioned. */
    abstract TestDatabase database();

    @AfterEach
    void cleanUp() {
        stillRunningStep3OnB.open();
        poolOfA.proxy().pass();
        fixture.close();
        storeOfA.close();
        poolOfA.close();
    }

    @Test
    void aBlackholedNodeStopsBeforeItsLeasesLapseAndItsLateWritesChangeNothing() {
        partitionAndHeal(TcpProxy::blackhole);
    }

    @Test
    void aCutOffNodeStopsBeforeItsLeasesLapseAndItsLateWritesChangeNothing() {
        partitionAndHeal(TcpProxy::cut);
    }

    private void partitionAndHeal(Consumer<TcpProxy> partition) {
        WeftEngine nodeA = fixture.engine("node-a", builder -> {
            builder.store(storeOfA).lease(LEASE).leaseRenewInterval(RENEWAL).adoptionInterval(ADOPTION).workflow(threeSteps());
            activitiesOfA().forEach(builder::activity);
        });
        WeftEngine nodeB = fixture.engine("node-b", builder -> {
            builder.lease(LEASE).leaseRenewInterval(RENEWAL).adoptionInterval(ADOPTION).workflow(threeSteps());
            activitiesOfB().forEach(builder::activity);
        });
        RUNS.forEach(id -> nodeA.start(WORKFLOW, "x", StartOptions.withId(id)));
        await().atMost(PATIENCE).until(() -> step2ReachedOnA.getCount() == 0);
        // A renews its leases: B, adopting every quarter second, takes nothing from a live node
        assertThat(log.all()).noneMatch(execution -> execution.node.equals("node-b"));

        try (LogCapture runsLog = LogCapture.of(LogCategories.RUNS, Level.ERROR);
                LeaseHistory leasesOfA = LeaseHistory.watch(direct, RUNS, "node-a")) {
            partition.accept(poolOfA.proxy());
            releaseLateStep2.countDown();

            // B adopts every run once A's leases lapse, and completes all but one
            for (String id : RUNS) {
                if (!id.equals(STILL_RUNNING)) {
                    assertThat(nodeB.handle(id).result(PATIENCE)).isEqualTo(RESULT);
                }
            }
            stillRunningStep3OnB.awaitArrival();

            // A was told to stop every step it was running before its lease of that run lapsed
            List<Execution> cutShortOnA = log.on("node-a", "step2").stream().filter(execution -> !execution.runId.equals(LATE))
                    .toList();
            assertThat(cutShortOnA).hasSize(RUNS.size() - 1).allSatisfy(execution -> {
                assertThat(execution.stopSignalled()).as("%s was told to stop", execution).isTrue();
                assertThat(execution.returned()).as("%s returned", execution).isFalse();
                assertThat(execution.stopSignalAt()).as("when %s was told to stop", execution).isBefore(leasesOfA.lapseOf(execution.runId));
            });
            Map<String, RunRecord> inPartition = direct.findRuns(RUNS);
            Map<String, List<JournalEntry>> journalsInPartition = journals();
            // each run was claimed once, by B
            assertThat(inPartition.values()).extracting(RunRecord::epoch).containsOnly(2L);
            assertThat(inPartition.get(STILL_RUNNING).owner()).isEqualTo("node-b");

            // the network returns: what A still had on the wire or in its retries arrives late
            poolOfA.proxy().pass();
            await().atMost(PATIENCE).until(() -> runsLog.messages(Level.ERROR).stream()
                    .anyMatch(line -> line.startsWith("Checkpoint of run " + LATE + " was refused")));
            await().atMost(PATIENCE).until(() -> nodeA.activeRunCount() == 0);
            // a renewal of A's that arrives now finds no run it owns
            assertThat(storeOfA.renewLeases("node-a", RUNS, LEASE)).isZero();
            // and a checkpoint under A's epoch is refused, whichever step it records
            assertThatThrownBy(() -> storeOfA.commit(Checkpoint.of(STILL_RUNNING, 1, JournalEntry.activityCompleted(3, "step3",
                    "\"step3(late)@node-a\"", 1, fixture.clock().now()))).join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(OwnershipLostException.class);

            // B renews its own lease meanwhile: everything else of every run is as it was in the partition
            assertThat(direct.findRuns(RUNS)).allSatisfy((id, run) -> assertThat(run).as("run %s after A's late writes", id)
                    .usingRecursiveComparison().ignoringFields("leaseExpiresAt").isEqualTo(inPartition.get(id)));
            assertThat(journals()).isEqualTo(journalsInPartition);
        }

        stillRunningStep3OnB.open();
        assertThat(nodeB.handle(STILL_RUNNING).result(PATIENCE)).isEqualTo(RESULT);
        // every step recorded once, step 1 by A, steps 2 and 3 by B
        assertThat(journals()).allSatisfy((id, journal) -> {
            assertThat(journal).extracting(JournalEntry::seq).containsExactly(1L, 2L, 3L);
            assertThat(journal).extracting(JournalEntry::state).containsOnly(EntryState.COMPLETED);
        });
        assertThat(direct.findRuns(RUNS).values()).extracting(RunRecord::status).containsOnly(WorkflowStatus.COMPLETED);
        log.assertNoStepOverlapsItself();
        // step 1 ran once (on A); step 2 ran on A (cut short, or finished but not recorded) and again on B; step 3 only on B
        Map<String, List<String>> nodesByStep = log.all().stream().collect(Collectors.groupingBy(execution -> execution.step,
                Collectors.mapping(execution -> execution.node, Collectors.toList())));
        assertThat(nodesByStep.get("step1")).hasSize(RUNS.size()).containsOnly("node-a");
        assertThat(nodesByStep.get("step2")).hasSize(2 * RUNS.size()).containsOnly("node-a", "node-b");
        assertThat(nodesByStep.get("step3")).hasSize(RUNS.size()).containsOnly("node-b");
    }

    private Map<String, List<JournalEntry>> journals() {
        return direct.loadJournals(RUNS);
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

    /** On A: step 2 waits until A tells it to stop, except in run {@link #LATE}, where it ends when the partition has begun. */
    private List<ActivityDefinition<String, String>> activitiesOfA() {
        return activities("node-a", (runId, step) -> {
            if (step.equals("step2")) {
                step2ReachedOnA.countDown();
                if (runId.equals(LATE)) {
                    releaseLateStep2.await();
                } else {
                    new CountDownLatch(1).await();
                }
            }
        });
    }

    /** On B: everything runs at once, except step 3 of {@link #STILL_RUNNING}, which waits for the test. */
    private List<ActivityDefinition<String, String>> activitiesOfB() {
        return activities("node-b", (runId, step) -> {
            if (step.equals("step3") && runId.equals(STILL_RUNNING)) {
                stillRunningStep3OnB.pass();
            }
        });
    }

    /** What an activity does before it returns; may wait, interruptibly. */
    @FunctionalInterface
    private interface Body {
        void run(String runId, String step) throws InterruptedException;
    }

    /** Activities that log their executions and return {@code step(input)@node}. */
    private List<ActivityDefinition<String, String>> activities(String node, Body body) {
        return STEPS.stream().map(step -> ActivityDefinition.of(step, String.class, String.class, (input, context) -> {
            Execution execution = log.begin(node, context.workflowId(), step);
            context.cancellation().onCancel(execution::markStopSignalled);
            try {
                body.run(context.workflowId(), step);
            } catch (InterruptedException | RuntimeException e) {
                execution.ended(false);
                throw e;
            }
            execution.ended(true);
            return step + "(" + input + ")@" + node;
        })).toList();
    }
}
