package dev.weft.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WorkflowStatus;
import dev.weft.store.EntryState;
import dev.weft.store.JournalEntry;
import dev.weft.store.RunRecord;
import dev.weft.testing.EngineFixture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A saga whose last step fails, so that its compensations run (refund, then release), with the
 * worker JVM SIGKILLed while one of them runs, then recovered by a fresh worker of the same node:
 * every compensation runs to its end, one whose completion was committed never runs again, and the
 * run fails with the step's error as it would have without the kill.
 */
class CompensationCrashIntegrationTests extends KilledWorkerTests {

    private static final Instant START = EngineFixture.START;
    private static final int RUNS = 5;

    @Test
    void aKillWhileTheSecondCompensationRunsRunsItAgainAndNeverTheFirstThatCompleted() {
        List<String> ids = runIds("second", RUNS);
        ChildWorker crashed = killWhileRunning(ids, CrashWorkflows.RELEASE);

        Map<String, List<JournalEntry>> atKill = journals(ids);
        assertThat(atKill.values()).as("refund committed, release not").allSatisfy(journal -> {
            assertThat(completed(journal, CrashWorkflows.REFUND)).isTrue();
            assertThat(journal).noneMatch(entry -> entry.name().equals(CrashWorkflows.RELEASE));
        });

        recover(ids);

        for (String id : ids) {
            assertFailedWithTheStepsError(id);
            assertThat(executionsOf(id, CrashWorkflows.REFUND)).as("refund of %s, committed before the kill", id).singleElement()
                    .satisfies(execution -> assertThat(execution.pid()).isEqualTo(crashed.pid()));
            assertThat(executionsOf(id, CrashWorkflows.RELEASE)).as("release of %s: cut short, then run to its end", id)
                    .extracting(Effects.Execution::finished).containsExactly(false, true);
            assertStepsRanOnce(id);
        }
    }

    @Test
    void aKillWhileTheFirstCompensationRunsRunsItAgainAndThenTheSecondOnce() {
        List<String> ids = runIds("first", RUNS);
        killWhileRunning(ids, CrashWorkflows.REFUND);

        assertThat(journals(ids).values()).as("neither compensation committed").allSatisfy(journal -> assertThat(journal)
                .noneMatch(entry -> entry.name().equals(CrashWorkflows.REFUND) || entry.name().equals(CrashWorkflows.RELEASE)));

        recover(ids);

        for (String id : ids) {
            assertFailedWithTheStepsError(id);
            assertThat(executionsOf(id, CrashWorkflows.REFUND)).as("refund of %s: cut short, then run to its end", id)
                    .extracting(Effects.Execution::finished).containsExactly(false, true);
            assertThat(executionsOf(id, CrashWorkflows.RELEASE)).as("release of %s, after the recovery only", id)
                    .singleElement().satisfies(execution -> assertThat(execution.finished()).isTrue());
            assertStepsRanOnce(id);
        }
    }

    /** Starts the sagas on a worker gated at {@code compensation}, and SIGKILLs it once every run waits there. */
    private ChildWorker killWhileRunning(List<String> ids, String compensation) {
        ChildWorker crashed = child(ids.getFirst().substring(0, ids.getFirst().lastIndexOf('-')) + "-node", START,
                "gate=" + compensation);
        crashed.send("start " + CrashWorkflows.COMPENSATING + " " + String.join(" ", ids));
        crashed.awaitMarkers("GATED", ids.size());
        crashed.kill();
        return crashed;
    }

    private void recover(List<String> ids) {
        ChildWorker recovered = child(ids.getFirst().substring(0, ids.getFirst().lastIndexOf('-')) + "-node", START);
        assertThat(recovered.send("recover")).isEqualTo(Integer.toString(ids.size()));
        awaitEnded(ids);
    }

    private void assertFailedWithTheStepsError(String id) {
        RunRecord run = store.findRun(id).orElseThrow();
        assertThat(run.status()).as("status of %s", id).isEqualTo(WorkflowStatus.FAILED);
        assertThat(run.failure().message()).contains("ship refused pay(reserve(" + id + "))");
        assertThat(completed(store.loadJournal(id), CrashWorkflows.REFUND)).isTrue();
        assertThat(completed(store.loadJournal(id), CrashWorkflows.RELEASE)).isTrue();
    }

    /** The saga's steps, each committed before the kill: once each, by the crashed worker. */
    private void assertStepsRanOnce(String id) {
        for (String step : List.of("reserve", "pay", CrashWorkflows.SHIP)) {
            assertThat(executionsOf(id, step)).as("executions of %s in %s", step, id).hasSize(1);
        }
    }

    private static boolean completed(List<JournalEntry> journal, String activity) {
        return journal.stream().anyMatch(entry -> entry.name().equals(activity) && entry.state() == EntryState.COMPLETED);
    }
}
