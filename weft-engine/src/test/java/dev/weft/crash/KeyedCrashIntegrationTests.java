package dev.weft.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WorkflowStatus;
import dev.weft.store.ActivityRecord;
import dev.weft.store.RunRecord;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.KeyDigests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A keyed charge whose worker JVM is SIGKILLed in each window of its dispatch, then recovered by a
 * fresh worker of the same node: the side effect (a finished row in the effects table) happens once
 * whenever a verifier can tell, and a dispatch that nothing can prove safe is not made again.
 */
class KeyedCrashIntegrationTests extends KilledWorkerTests {

    private static final Instant START = EngineFixture.START;
    private static final int RUNS = 5;

    @Test
    void aKillAfterTheRecordAndBeforeTheSideEffectIsReconciledAsNotCompletedAndChargesOnce() {
        List<String> ids = killAt("before", CrashWorkflows.BEFORE_CHARGE, "verifier=effects");
        assertThat(effects.of(CrashWorkflows.CHARGE)).as("no charge before the kill").isEmpty();

        recoverAndAwait(ids, "verifier=effects");

        for (String id : ids) {
            assertCompletedWith(id);
            assertThat(charges(id)).as("one charge, by the recovered worker's attempt 2").singleElement()
                    .satisfies(charge -> assertThat(charge.attempt()).isEqualTo(2));
        }
    }

    @Test
    void aKillAfterTheSideEffectAndBeforeItsRecordAdoptsTheVerifiersResultWithoutChargingAgain() {
        List<String> ids = killAt("after", CrashWorkflows.AFTER_CHARGE, "verifier=effects");
        long pidOfCrashed = charges(ids.getFirst()).getFirst().pid();

        recoverAndAwait(ids, "verifier=effects");

        for (String id : ids) {
            assertCompletedWith(id);
            assertThat(charges(id)).as("only the charge made before the kill").singleElement()
                    .satisfies(charge -> assertThat(charge.pid()).isEqualTo(pidOfCrashed));
            assertThat(store.findActivityRecord(id, CrashWorkflows.CHARGE, KeyDigests.sha256("charge/" + id)).orElseThrow().state())
                    .isEqualTo(ActivityRecord.State.COMPLETED);
        }
    }

    /**
     * The completed record travels in the step's checkpoint: a kill inside that checkpoint's commit
     * (the charge returned, nothing of it committed) leaves the record {@code started}, so the
     * recovered worker asks the verifier instead of trusting a record the journal never confirmed.
     */
    @Test
    void aKillInsideTheChargesCheckpointLeavesTheRecordStartedAndTheVerifierAdoptsTheCharge() {
        String id = "returned-01";
        ChildWorker crashed = child("returned-node", "verifier=effects");
        crashed.send("stall-next");
        crashed.send("start " + CrashWorkflows.KEYED_CHARGE + " " + id);
        crashed.awaitMarkers("IN_COMMIT", 1);
        crashed.kill();
        assertThat(store.loadJournal(id)).as("the charge's checkpoint was not committed").isEmpty();
        assertThat(charges(id)).singleElement().satisfies(charge -> assertThat(charge.finished()).isTrue());
        assertThat(store.findActivityRecord(id, CrashWorkflows.CHARGE, KeyDigests.sha256("charge/" + id)).orElseThrow().state())
                .isEqualTo(ActivityRecord.State.STARTED);

        recoverAndAwait(List.of(id), "verifier=effects");

        assertCompletedWith(id);
        assertThat(charges(id)).as("the charge made before the kill, not again").hasSize(1);
        assertThat(store.findActivityRecord(id, CrashWorkflows.CHARGE, KeyDigests.sha256("charge/" + id)).orElseThrow().state())
                .isEqualTo(ActivityRecord.State.COMPLETED);
    }

    @Test
    void aKillAfterTheSideEffectWithoutAVerifierFailsTheRunClosedAndChargesNoMore() {
        List<String> ids = killAt("closed", CrashWorkflows.AFTER_CHARGE);

        recoverAndAwait(ids);

        for (String id : ids) {
            RunRecord run = store.findRun(id).orElseThrow();
            assertThat(run.status()).isEqualTo(WorkflowStatus.FAILED);
            assertThat(run.failure().message()).contains("Activity 'charge' at step 1 of run '" + id + "'", "no verifier")
                    .doesNotContain("charge/" + id);
            assertThat(charges(id)).hasSize(1);
            assertThat(effects.of("step3").stream().filter(execution -> execution.runId().equals(id))).isEmpty();
        }
    }

    @Test
    void aKillBetweenAHelpersCompletedRecordAndItsMemosCheckpointReplaysTheChargeWithoutRunningIt() {
        List<String> ids = runIds("memo", RUNS);
        ChildWorker crashed = child("memo-node", "gate=" + CrashWorkflows.IN_MEMO);
        crashed.send("start " + CrashWorkflows.MEMO_CHARGE + " " + String.join(" ", ids));
        crashed.awaitMarkers("GATED", RUNS);
        crashed.kill();
        for (String id : ids) {
            assertThat(store.loadJournal(id)).as("the memo of %s was not checkpointed", id).isEmpty();
            assertThat(store.findActivityRecord(id, CrashWorkflows.CHARGE, KeyDigests.sha256("charge/" + id)).orElseThrow().state())
                    .isEqualTo(ActivityRecord.State.COMPLETED);
        }

        recoverAndAwait(ids);

        for (String id : ids) {
            assertCompletedWith(id);
            assertThat(charges(id)).as("the charge made before the kill, not again").hasSize(1);
        }
    }

    /** Starts {@link #RUNS} keyed charges on a worker gated at {@code gate}, and SIGKILLs it once all have reached it. */
    private List<String> killAt(String prefix, String gate, String... options) {
        List<String> ids = runIds(prefix, RUNS);
        List<String> all = new ArrayList<>(List.of(options));
        all.add("gate=" + gate);
        ChildWorker crashed = child(prefix + "-node", all.toArray(String[]::new));
        crashed.send("start " + CrashWorkflows.KEYED_CHARGE + " " + String.join(" ", ids));
        crashed.awaitMarkers("GATED", RUNS);
        crashed.kill();
        for (String id : ids) {
            assertThat(store.findActivityRecord(id, CrashWorkflows.CHARGE, KeyDigests.sha256("charge/" + id)).orElseThrow().state())
                    .as("the record of %s at the kill", id).isEqualTo(ActivityRecord.State.STARTED);
        }
        return ids;
    }

    private void recoverAndAwait(List<String> ids, String... options) {
        String node = ids.getFirst().substring(0, ids.getFirst().lastIndexOf('-')) + "-node";
        ChildWorker recovered = child(node, options);
        assertThat(recovered.send("recover")).isEqualTo(Integer.toString(ids.size()));
        awaitEnded(ids);
    }

    private void assertCompletedWith(String id) {
        RunRecord run = store.findRun(id).orElseThrow();
        assertThat(run.status()).as("status of %s", id).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(run.result()).isEqualTo("\"step3(" + CrashWorkflows.receiptOf(id) + ")\"");
    }

    private List<Effects.Execution> charges(String runId) {
        return executionsOf(runId, CrashWorkflows.CHARGE);
    }

    private ChildWorker child(String node, String... options) {
        return child(node, START, options);
    }
}
