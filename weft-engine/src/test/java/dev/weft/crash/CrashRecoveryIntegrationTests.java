package dev.weft.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.AsyncActivityToken;
import dev.weft.failure.AsyncActivityTokenNotFoundException;
import dev.weft.WeftEngine;
import dev.weft.WorkflowStatus;
import dev.weft.crash.Effects.Execution;
import dev.weft.store.EntryKind;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunRecord;
import dev.weft.testing.EngineFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs are driven by an engine in a child JVM that is SIGKILLed at a chosen point, then recovered
 * by a fresh child of the same node (a new incarnation, which takes its predecessor's runs without
 * waiting for their leases). What the journal held right after the kill decides what may run
 * again: a step whose completion was committed runs exactly once in all, any other at most twice.
 */
class CrashRecoveryIntegrationTests extends KilledWorkerTests {

    private static final Instant START = EngineFixture.START;
    private static final int RUNS = 20;

    @Test
    void aKillBetweenTwoActivitiesRerunsOnlyTheStepThatHadNotCompleted() {
        List<String> ids = runIds("between", RUNS);
        ChildWorker crashed = child("between-node", START, "gate=step2");
        crashed.send("start " + CrashWorkflows.THREE_STEPS + " " + String.join(" ", ids));
        // step 2 begins only once step 1's completion is committed
        crashed.awaitMarkers("GATED", RUNS);
        crashed.kill();

        Map<String, List<JournalEntry>> atKill = journals(ids);
        assertThat(atKill.values()).allSatisfy(journal -> assertThat(journal).singleElement()
                .satisfies(entry -> assertCompleted(entry, "step1", 1)));

        ChildWorker recovered = child("between-node", START);
        assertThat(recovered.send("recover")).isEqualTo(Integer.toString(RUNS));
        awaitEnded(ids);

        assertEveryRunCompletedWithItsResult(ids, 1);
        assertCommittedStepsRanOnceAndOthersAtMostTwice(atKill);
        // step 2 was cut short by the kill, so it ran a second time; nothing else did
        assertThat(effects.of("step2")).hasSize(2 * RUNS).filteredOn(execution -> !execution.finished()).hasSize(RUNS);
        assertThat(effects.of("step1")).hasSize(RUNS);
        assertThat(effects.of("step3")).hasSize(RUNS);
    }

    @Test
    void aKillDuringARetryBackoffNeitherRepeatsNorSkipsAnAttempt() {
        List<String> ids = runIds("backoff", RUNS);
        ChildWorker crashed = child("backoff-node", START, "fail=step2");
        crashed.send("start " + CrashWorkflows.THREE_STEPS + " " + String.join(" ", ids));
        crashed.awaitMarkers("RETRYING", RUNS);
        crashed.kill();

        Instant due = START.plusSeconds(1);
        Map<String, List<JournalEntry>> atKill = journals(ids);
        assertThat(atKill.values()).allSatisfy(journal -> {
            assertThat(journal).hasSize(2);
            assertCompleted(journal.get(0), "step1", 1);
            JournalEntry waiting = journal.get(1);
            assertThat(waiting.state()).isEqualTo(EntryState.WAITING);
            assertThat(waiting.attempt()).isEqualTo(2);
            assertThat(waiting.dueAt()).isEqualTo(due);
            assertThat(waiting.scheduledAt()).isEqualTo(START);
            assertThat(waiting.failure().message()).isEqualTo("step2 fails its first attempt");
        });

        ChildWorker recovered = child("backoff-node", START.plusMillis(500));
        assertThat(recovered.send("recover")).isEqualTo(Integer.toString(RUNS));
        awaitPendingTimers(recovered, RUNS);
        assertThat(recovered.nextDue()).isEqualTo(due.toString());
        recovered.send("set " + due.minusMillis(1));
        assertThat(recovered.pendingTimers()).isEqualTo(RUNS);
        assertThat(effects.of("step2")).allSatisfy(execution -> assertThat(execution.attempt()).isEqualTo(1));
        assertThat(journals(ids)).isEqualTo(atKill);

        recovered.send("set " + due);
        awaitEnded(ids);

        assertEveryRunCompletedWithItsResult(ids, 2);
        for (String id : ids) {
            assertThat(executionsOf(id, "step2")).extracting(Execution::attempt).containsExactly(1, 2);
        }
        assertThat(effects.of("step2")).filteredOn(execution -> execution.attempt() == 1)
                .extracting(Execution::pid).containsOnly(crashed.pid());
        assertThat(effects.of("step2")).filteredOn(execution -> execution.attempt() == 2)
                .extracting(Execution::pid).containsOnly(recovered.pid());
        assertCommittedStepsRanOnceAndOthersAtMostTwice(atKill);
    }

    @Test
    void aKillDuringADurableSleepKeepsItsTimerAndItsDueTime() {
        List<String> ids = runIds("sleep", RUNS);
        ChildWorker crashed = child("sleep-node", START);
        crashed.send("start " + CrashWorkflows.NAPPING + " " + String.join(" ", ids));
        awaitPendingTimers(crashed, RUNS);
        crashed.kill();

        Instant due = START.plus(CrashWorkflows.NAP);
        Map<String, List<JournalEntry>> atKill = journals(ids);
        assertThat(atKill.values()).allSatisfy(journal -> {
            assertThat(journal).hasSize(2);
            assertCompleted(journal.get(0), "step1", 1);
            assertSleepWaitingUntil(journal.get(1), due);
        });

        ChildWorker recovered = child("sleep-node", START.plus(Duration.ofMinutes(30)));
        assertThat(recovered.send("recover")).isEqualTo(Integer.toString(RUNS));
        awaitPendingTimers(recovered, RUNS);
        assertThat(recovered.nextDue()).isEqualTo(due.toString());
        assertThat(journals(ids)).isEqualTo(atKill);
        assertThat(effects.of("step2")).isEmpty();

        recovered.send("advance PT30M");
        awaitEnded(ids);

        assertEveryRunCompletedWithItsResult(ids, 1);
        assertThat(journals(ids).values()).allSatisfy(journal -> assertThat(journal)
                .filteredOn(entry -> entry.kind() == EntryKind.SLEEP).singleElement()
                .satisfies(sleep -> assertThat(sleep.state()).isEqualTo(EntryState.COMPLETED)));
        assertCommittedStepsRanOnceAndOthersAtMostTwice(atKill);
        assertThat(effects.all()).hasSize(3 * RUNS);
    }

    @Test
    void aSleepThatFellDueWhileNoProcessRanFiresAtOnceOnRecovery() {
        List<String> ids = runIds("overdue", 5);
        ChildWorker crashed = child("overdue-node", START);
        crashed.send("start " + CrashWorkflows.NAPPING + " " + String.join(" ", ids));
        awaitPendingTimers(crashed, ids.size());
        crashed.kill();
        Map<String, List<JournalEntry>> atKill = journals(ids);
        assertThat(atKill.values()).allSatisfy(journal -> assertSleepWaitingUntil(journal.get(1), START.plus(CrashWorkflows.NAP)));

        ChildWorker recovered = child("overdue-node", START.plus(Duration.ofHours(3)));
        assertThat(recovered.send("recover")).isEqualTo(Integer.toString(ids.size()));
        awaitEnded(ids);

        assertEveryRunCompletedWithItsResult(ids, 1);
        assertCommittedStepsRanOnceAndOthersAtMostTwice(atKill);
        assertThat(effects.all()).hasSize(3 * ids.size());
    }

    @Test
    void aKillInsideAGroupCommitLeavesNothingOfThatTransaction() {
        List<String> ids = runIds("commit", RUNS);
        ChildWorker crashed = child("commit-node", START, "gate=step2");
        crashed.send("start " + CrashWorkflows.THREE_STEPS + " " + String.join(" ", ids));
        crashed.awaitMarkers("GATED", RUNS);
        // let the step-2 completions pile up behind a held commit, then stop inside the next batch of two runs or more
        crashed.send("stall-commit " + RUNS);
        crashed.send("open step2");
        crashed.awaitMarkers("IN_COMMIT", 1);
        crashed.kill();

        String[] inCommit = crashed.markers("IN_COMMIT").getFirst();
        Instant transactionTime = Instant.parse(inCommit[1]);
        List<String> rows = Arrays.asList(inCommit).subList(2, inCommit.length);
        Set<String> runsInBatch = rows.stream().map(row -> row.split(":")[0]).collect(Collectors.toSet());
        assertThat(runsInBatch).hasSizeGreaterThanOrEqualTo(2);
        long visible = schema.sql("select count(*) from %PREFIX%journal where updated_at = :at and run_id in (:runs)")
                .param("at", transactionTime.atOffset(java.time.ZoneOffset.UTC))
                .param("runs", List.copyOf(runsInBatch))
                .query(Long.class).single();
        // all or nothing, and here nothing: the COMMIT never reached the server
        assertThat(visible).isIn(0L, (long) rows.size()).isZero();

        Map<String, List<JournalEntry>> atKill = journals(ids);
        for (String row : rows) {
            String[] parts = row.split(":");
            assertThat(atKill.get(parts[0])).as("journal of %s after the kill", parts[0])
                    .noneMatch(entry -> entry.seq() == Long.parseLong(parts[1])
                            && entry.state().name().equalsIgnoreCase(parts[2]));
        }
        assertThat(atKill.values()).allSatisfy(journal -> assertCompleted(journal.getFirst(), "step1", 1));

        // With two batches in flight, the other one kept committing until the kill: a run may even have ended.
        long unfinished = ids.stream().filter(id -> !store.findRun(id).orElseThrow().status().isTerminal()).count();
        assertThat(unfinished).isGreaterThanOrEqualTo(runsInBatch.size());
        ChildWorker recovered = child("commit-node", START);
        assertThat(recovered.send("recover")).isEqualTo(Long.toString(unfinished));
        awaitEnded(ids);

        assertEveryRunCompletedWithItsResult(ids, 1);
        assertCommittedStepsRanOnceAndOthersAtMostTwice(atKill);
        // Mostly step-2 completions; with two batches in flight, the other batch may have committed a
        // run's step 2 while the first was held, and that run's step 3 is what the kill lost.
        for (String row : rows) {
            String[] parts = row.split(":");
            String step = "step" + parts[1];
            assertThat(executionsOf(parts[0], step)).as("%s of %s, whose completion the kill lost", step, parts[0]).hasSize(2);
        }
    }

    @Test
    void aParkedRunWaitingForASignalSurvivesAKillAndTheSignalSentAfterTheRestartCompletesIt() {
        List<String> ids = runIds("signal", 5);
        ChildWorker crashed = child("signal-node", START, "park=PT0S");
        crashed.send("start " + CrashWorkflows.AWAITING_SIGNAL + " " + String.join(" ", ids));
        awaitParked(crashed, ids.size());
        crashed.kill();

        Map<String, List<JournalEntry>> atKill = journals(ids);
        assertThat(atKill.values()).allSatisfy(journal -> {
            assertThat(journal).hasSize(2);
            assertCompleted(journal.get(0), "step1", 1);
            assertThat(journal.get(1).kind()).isEqualTo(EntryKind.SIGNAL);
            assertThat(journal.get(1).state().isFinished()).as("the signal wait is open").isFalse();
        });
        assertThat(ids).allSatisfy(id -> assertThat(store.findRun(id).orElseThrow().owner()).isNull());

        // the restarted child adopts due runs often, so it sees signals sent from other processes
        ChildWorker recovered = child("signal-node", START, "park=PT0S", "adoption=PT0.2S");
        assertThat(recovered.send("recover")).isEqualTo(Integer.toString(ids.size()));
        awaitParked(recovered, ids.size());
        assertThat(journals(ids)).isEqualTo(atKill);

        try (WeftEngine parent = WeftEngine.builder().store(store).nodeId("parent").worker(false).build()) {
            for (String id : ids) {
                assertThat(parent.signal(id, CrashWorkflows.GO, "go-" + id, "signal-" + id)).isTrue();
                assertThat(parent.signal(id, CrashWorkflows.GO, "twice-" + id, "signal-" + id)).as("a duplicate").isFalse();
            }
            awaitEnded(ids);
            for (String id : ids) {
                assertThat(parent.signal(id, CrashWorkflows.GO, "again-" + id, "signal-" + id)).as("a duplicate, after the end").isFalse();
            }
        }

        for (String id : ids) {
            RunRecord run = store.findRun(id).orElseThrow();
            assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(run.result()).isEqualTo("\"step3(step2(step1(" + id + ")+go-" + id + "))\"");
            assertThat(executionsOf(id, "step1")).as("step 1 of %s, committed before the kill", id).singleElement()
                    .satisfies(execution -> assertThat(execution.pid()).isEqualTo(crashed.pid()));
            assertThat(executionsOf(id, "step2")).singleElement()
                    .satisfies(execution -> assertThat(execution.pid()).isEqualTo(recovered.pid()));
        }
        assertThat(effects.all()).hasSize(3 * ids.size());
        assertThat(schema.sql("select count(*) from %PREFIX%signal where consumed_seq is not null").query(Long.class).single())
                .isEqualTo(ids.size());
        assertThat(schema.sql("select count(*) from %PREFIX%signal").query(Long.class).single()).isEqualTo(ids.size());
    }

    @Test
    void aCompletionCutOffByAKillBeforeItsCommitLeavesTheTokenUsableAndOneCommittedBeforeTheKillIsSpent() {
        String cutOff = "async-cut";
        String committed = "async-done";
        ChildWorker crashed = child("async-node", START, "renew=PT0.2S");
        crashed.send("start " + CrashWorkflows.AWAITING_APPROVAL + " " + cutOff + " " + committed);
        await().atMost(ChildWorker.PATIENCE).until(() -> journals(List.of(cutOff, committed)).values().stream()
                .allMatch(journal -> journal.size() == 2 && journal.get(1).state() == EntryState.PENDING));
        String cutOffToken = new AsyncActivityToken(cutOff, 2, 1).toString();
        String committedToken = new AsyncActivityToken(committed, 2, 1).toString();

        // One completion commits and its run finishes; the other is caught inside its commit and the process dies there.
        crashed.send("complete " + committedToken + " yes");
        awaitEnded(List.of(committed));
        crashed.send("stall-next");
        crashed.send("complete " + cutOffToken + " lost");
        crashed.awaitMarkers("IN_COMMIT", 1);
        crashed.kill();

        assertThat(store.findJournalEntry(cutOff, 2).orElseThrow().state()).as("never both: the token is not spent")
                .isEqualTo(EntryState.PENDING);
        assertThat(crashed.markers("ACCEPTED")).extracting(marker -> marker[1]).containsExactly(committedToken);

        ChildWorker recovered = child("async-node", START, "renew=PT0.2S");
        assertThat(recovered.send("recover")).isEqualTo("1");
        try (WeftEngine parent = WeftEngine.builder().store(store).nodeId("parent").worker(false).build()) {
            assertThatThrownBy(() -> parent.completeAsyncActivity(committedToken, "again"))
                    .as("a token spent before the kill stays spent").isInstanceOf(AsyncActivityTokenNotFoundException.class);
            parent.completeAsyncActivity(cutOffToken, "after-restart");
            assertThatThrownBy(() -> parent.completeAsyncActivity(cutOffToken, "twice")).isInstanceOf(AsyncActivityTokenNotFoundException.class);
        }
        awaitEnded(List.of(cutOff));

        assertThat(store.findRun(cutOff).orElseThrow().result()).isEqualTo("\"step3(step2(step1(" + cutOff + ")+after-restart))\"");
        assertThat(store.findRun(committed).orElseThrow().result()).isEqualTo("\"step3(step2(step1(" + committed + ")+yes))\"");
        assertThat(executionsOf(cutOff, "step1")).as("never neither: the run still waited, its first step kept").singleElement()
                .satisfies(execution -> assertThat(execution.pid()).isEqualTo(crashed.pid()));
    }

    private static void awaitParked(ChildWorker child, int count) {
        await().atMost(ChildWorker.PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> Integer.parseInt(child.send("parked")) == count && Integer.parseInt(child.send("active")) == 0);
    }

    private static void awaitPendingTimers(ChildWorker child, int count) {
        await().atMost(ChildWorker.PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> child.pendingTimers() == count);
    }

    private void assertEveryRunCompletedWithItsResult(List<String> ids, int attemptsOfStep2) {
        for (String id : ids) {
            RunRecord run = store.findRun(id).orElseThrow();
            assertThat(run.status()).as("status of %s", id).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(run.result()).isEqualTo("\"" + CrashWorkflows.resultOf(id) + "\"");
            List<JournalEntry> activities = store.loadJournal(id).stream()
                    .filter(entry -> entry.kind() == EntryKind.ACTIVITY).toList();
            assertThat(activities).hasSize(3);
            assertCompleted(activities.get(0), "step1", 1);
            assertCompleted(activities.get(1), "step2", attemptsOfStep2);
            assertCompleted(activities.get(2), "step3", 1);
        }
    }

    /** The promise of a durable step, checked against the journal as it was right after the kill. */
    private void assertCommittedStepsRanOnceAndOthersAtMostTwice(Map<String, List<JournalEntry>> atKill) {
        atKill.forEach((id, journal) -> {
            for (String step : CrashWorkflows.STEPS) {
                boolean committed = journal.stream()
                        .anyMatch(entry -> entry.name().equals(step) && entry.state() == EntryState.COMPLETED);
                int executions = executionsOf(id, step).size();
                if (committed) {
                    assertThat(executions).as("executions of %s in %s, committed before the kill", step, id).isEqualTo(1);
                } else {
                    assertThat(executions).as("executions of %s in %s, not committed before the kill", step, id).isBetween(1, 2);
                }
            }
        });
    }

    private static void assertCompleted(JournalEntry entry, String activity, int attempt) {
        assertThat(entry.kind()).isEqualTo(EntryKind.ACTIVITY);
        assertThat(entry.name()).isEqualTo(activity);
        assertThat(entry.state()).isEqualTo(EntryState.COMPLETED);
        assertThat(entry.attempt()).isEqualTo(attempt);
    }

    private static void assertSleepWaitingUntil(JournalEntry entry, Instant due) {
        assertThat(entry.kind()).isEqualTo(EntryKind.SLEEP);
        assertThat(entry.state()).isEqualTo(EntryState.WAITING);
        assertThat(entry.dueAt()).isEqualTo(due);
    }
}
