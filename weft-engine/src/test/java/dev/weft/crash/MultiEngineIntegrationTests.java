package dev.weft.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.RecoveryReport;
import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WorkflowStatus;
import dev.weft.activity.ActivityDefinition;
import dev.weft.crash.Effects.Execution;
import dev.weft.event.EngineEvent;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunRecord;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two engines on one PostgreSQL database. Ownership is what keeps them apart: a node adopts only
 * runs whose lease lapsed by the database's clock, and a node that lost a run cannot write to it.
 */
class MultiEngineIntegrationTests extends KilledWorkerTests {

    private static final int RUNS = 20;
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration RENEWAL = Duration.ofMillis(500);

    MultiEngineIntegrationTests() {
        // the engine in this JVM is node B
        super("node-b");
    }

    @Test
    void aSurvivingNodeAdoptsTheRunsOfAKilledNodeAndNoStepRunsOnBothAtOnce() {
        List<String> ids = runIds("adopted", RUNS);
        ChildWorker nodeA = child("node-a", EngineFixture.START,
                "lease=" + LEASE, "renew=" + RENEWAL, "gate=step2");
        CrashWorkflows onNodeB = new CrashWorkflows(effects, line -> { });
        WeftEngine nodeB = fixture.engine("node-b", builder -> {
            builder.workflow(CrashWorkflows.threeSteps()).lease(LEASE).leaseRenewInterval(RENEWAL);
            onNodeB.activities().forEach(builder::activity);
        });

        nodeA.send("start " + CrashWorkflows.THREE_STEPS + " " + String.join(" ", ids));
        nodeA.awaitMarkers("GATED", RUNS);
        // node A renews its leases: node B may not take a single run while it lives
        assertThat(nodeB.recoverAll().recovered()).isEmpty();
        nodeA.kill();
        Instant killedAt = effects.databaseNow();

        Set<String> adopted = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            RecoveryReport report = nodeB.recoverAll();
            adopted.addAll(report.recovered());
            return adopted.size() == RUNS;
        });
        for (String id : ids) {
            assertThat(nodeB.handle(id).result(ChildWorker.PATIENCE)).isEqualTo(CrashWorkflows.resultOf(id));
        }

        assertThat(adopted).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ids).allSatisfy(id -> {
            RunRecord run = store.findRun(id).orElseThrow();
            assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(run.epoch()).isEqualTo(2);
        });
        List<Execution> executions = effects.all();
        assertNoExecutionOverlapsAnotherOfTheSameStep(executions, killedAt);
        Map<String, List<String>> nodesByStep = executions.stream().collect(Collectors.groupingBy(
                execution -> execution.activity(), Collectors.mapping(Execution::node, Collectors.toList())));
        // step 1 was committed on node A and never ran again; step 2 was cut short there and ran again on B
        assertThat(nodesByStep.get("step1")).hasSize(RUNS).containsOnly("node-a");
        assertThat(nodesByStep.get("step2")).hasSize(2 * RUNS).containsOnly("node-a", "node-b");
        assertThat(executions).filteredOn(execution -> execution.node().equals("node-a") && execution.activity().equals("step2"))
                .hasSize(RUNS).noneMatch(Execution::finished);
        assertThat(nodesByStep.get("step3")).hasSize(RUNS).containsOnly("node-b");
        assertThat(executions).filteredOn(execution -> execution.node().equals("node-b"))
                .allSatisfy(execution -> assertThat(execution.executedAt()).isAfter(killedAt));
    }

    @Test
    void aStaleOwnerCannotWriteToARunAnotherNodeAdopted() {
        Gate staleStep2 = new Gate();
        Gate adopterStep3 = new Gate();
        List<String> executed = new CopyOnWriteArrayList<>();
        List<EngineEvent> staleEvents = new CopyOnWriteArrayList<>();
        WeftEngine stale = fixture.engine("node-a", builder -> {
            builder.workflow(CrashWorkflows.threeSteps()).lease(Duration.ofMinutes(1)).listener(staleEvents::add);
            tagged("a", Map.of("step2", staleStep2), executed).forEach(builder::activity);
        });
        WeftEngine adopter = fixture.engine("node-b", builder -> {
            builder.workflow(CrashWorkflows.threeSteps()).lease(Duration.ofMinutes(1));
            tagged("b", Map.of("step3", adopterStep3), executed).forEach(builder::activity);
        });
        stale.start(CrashWorkflows.threeSteps(), "x", StartOptions.withId("stale-1"));
        staleStep2.awaitArrival();

        // node A stalls (a long GC pause, a partition) until its lease lapses by the database's clock
        fixture.schema().sql("update %PREFIX%run set lease_expires_at = now() - interval '1 second' where id = 'stale-1'")
                .update();
        assertThat(adopter.recoverAll().recovered()).containsExactly("stale-1");
        adopterStep3.awaitArrival();
        List<JournalEntry> beforeStaleWrite = fixture.journal("stale-1");
        assertThat(beforeStaleWrite).extracting(JournalEntry::result)
                .containsExactly("\"step1(x)@a\"", "\"step2(step1(x)@a)@b\"");

        // node A wakes up, its step 2 returns, and its checkpoint meets epoch 2
        staleStep2.open();
        await().atMost(Gate.patience()).until(() -> stale.activeRunCount() == 0);
        assertThat(fixture.journal("stale-1")).isEqualTo(beforeStaleWrite);
        RunRecord stillRunning = store.findRun("stale-1").orElseThrow();
        assertThat(stillRunning.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(stillRunning.owner()).isEqualTo("node-b");
        assertThat(stillRunning.epoch()).isEqualTo(2);
        assertThat(staleEvents).filteredOn(event -> event instanceof EngineEvent.ActivityCompleted completed
                && completed.activityName().equals("step2")).isEmpty();
        assertThat(staleEvents).noneMatch(event -> event instanceof EngineEvent.WorkflowCompleted
                || event instanceof EngineEvent.WorkflowFailed);

        adopterStep3.open();
        assertThat(adopter.handle("stale-1").result(Gate.patience())).isEqualTo("step3(step2(step1(x)@a)@b)@b");
        assertThat(fixture.journal("stale-1")).extracting(JournalEntry::state).containsOnly(EntryState.COMPLETED);
        assertThat(fixture.journal("stale-1")).extracting(JournalEntry::result)
                .containsExactly("\"step1(x)@a\"", "\"step2(step1(x)@a)@b\"", "\"step3(step2(step1(x)@a)@b)@b\"");
        // node A did run step 2 (an activity is at least once), but nothing it did after losing the run was recorded
        assertThat(executed).containsExactly("a:step1", "b:step2", "a:step2", "b:step3");
    }

    @Test
    void aNodeThatReclaimsALapsedRunItStillDrivesReplacesTheStaleExecution() {
        Gate firstStep2 = new Gate();
        List<String> executed = new CopyOnWriteArrayList<>();
        WeftEngine node = fixture.engine("node-a", builder -> {
            builder.workflow(CrashWorkflows.threeSteps()).lease(Duration.ofMinutes(1));
            gatedOnce("step2", firstStep2, executed).forEach(builder::activity);
        });
        node.start(CrashWorkflows.threeSteps(), "x", StartOptions.withId("reclaimed-1"));
        firstStep2.awaitArrival();

        // the node's renewals failed for longer than the lease (the database was unreachable), so the
        // run is recoverable; the node's own adoption claims it before a renewal gets through
        fixture.schema().sql("update %PREFIX%run set lease_expires_at = now() - interval '1 second' where id = 'reclaimed-1'")
                .update();
        assertThat(node.recoverAll().recovered()).containsExactly("reclaimed-1");

        // the claim raised the epoch: the execution of epoch 1 can write nothing, so a new one must drive the run
        assertThat(node.handle("reclaimed-1").result(Gate.patience())).isEqualTo("step3(step2(step1(x)))");
        assertThat(store.findRun("reclaimed-1").orElseThrow().epoch()).isEqualTo(2);
        assertThat(node.activeRunCount()).isZero();
        // the stale execution's attempt was told to stop: its thread is not left waiting for ever
        await().atMost(Gate.patience()).untilAsserted(() -> assertThat(executed)
                .containsExactlyInAnyOrder("step1", "step2", "step2 interrupted, cancelled=true", "step2", "step3"));
    }

    /**
     * Activities that return {@code name(input)}; the first execution of {@code gated} waits at
     * {@code gate} and records it if its wait is interrupted.
     */
    private static List<ActivityDefinition<String, String>> gatedOnce(String gated, Gate gate, List<String> executed) {
        Set<String> passed = ConcurrentHashMap.newKeySet();
        return CrashWorkflows.STEPS.stream().map(name -> ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            executed.add(name);
            if (name.equals(gated) && passed.add(name)) {
                try {
                    gate.pass();
                } catch (InterruptedException e) {
                    executed.add(name + " interrupted, cancelled=" + context.cancellation().isCancelled());
                    throw e;
                }
            }
            return name + "(" + input + ")";
        })).toList();
    }

    /** Activities whose results name their node; those with a gate wait at it before returning. */
    private static List<ActivityDefinition<String, String>> tagged(String node, Map<String, Gate> gates, List<String> executed) {
        return CrashWorkflows.STEPS.stream().map(name -> ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            Gate gate = gates.get(name);
            if (gate != null) {
                gate.pass();
            }
            executed.add(node + ":" + name);
            return name + "(" + input + ")@" + node;
        })).toList();
    }

    /**
     * Executions of one step of one run on different nodes never overlap in time; an execution that
     * a kill cut short counts as running until the kill.
     */
    private static void assertNoExecutionOverlapsAnotherOfTheSameStep(List<Execution> executions, Instant killedAt) {
        Map<String, List<Execution>> bySteps = executions.stream()
                .collect(Collectors.groupingBy(execution -> execution.runId() + "/" + execution.activity()));
        bySteps.forEach((step, ofStep) -> {
            List<Execution> ordered = ofStep.stream().sorted(Comparator.comparing(Execution::executedAt)).toList();
            for (int i = 1; i < ordered.size(); i++) {
                Execution earlier = ordered.get(i - 1);
                Execution later = ordered.get(i);
                Instant earlierEnd = earlier.finished() ? earlier.finishedAt() : killedAt;
                assertThat(later.executedAt()).as("%s on %s began while it ran on %s", step, later.node(), earlier.node())
                        .isAfter(earlierEnd);
            }
        });
    }
}
