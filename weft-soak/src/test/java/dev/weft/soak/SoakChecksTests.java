package dev.weft.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.soak.ExecutionLog.Execution;
import dev.weft.soak.SoakChecks.Journal;
import dev.weft.soak.SoakChecks.Run;
import dev.weft.soak.SoakChecks.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The soak's checks find each kind of violation, and nothing in a clean history. */
class SoakChecksTests {

    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private static final String RUN = "soak-000001";
    private static final Map<String, Run> COMPLETED = Map.of(RUN, new Run("completed", "\"" + SoakWorkflow.resultOf(RUN) + "\""));
    private static final Journal JOURNAL = new Journal(Map.of(RUN + "/reserve", at(100), RUN + "/charge", at(3_000),
            RUN + "/ship", at(3_200)), Map.of(RUN, at(2_100)), 1, 0);

    @Test
    void aCleanHistoryHasNoViolation() {
        Verdict verdict = judge(COMPLETED, JOURNAL, List.of(
                execution("reserve", "node-1", 1, 0, 50),
                // killed mid-step on node 1, then run again on node 2 after the kill
                execution("charge", "node-1", 1, 2_200, null),
                execution("charge", "node-2", 2, 2_700, 2_900),
                execution("ship", "node-2", 2, 3_050, 3_100)), Map.of(1L, at(2_500)));

        assertThat(verdict.violations()).isZero();
        assertThat(verdict.completed()).isEqualTo(1);
        assertThat(verdict.executions()).isEqualTo(4);
        assertThat(verdict.repeatedExecutions()).isEqualTo(1);
        assertThat(verdict.runsOnSeveralNodes()).isEqualTo(1);
    }

    @Test
    void acknowledgedRunsThatAreMissingRunningFailedOrWrongAreCounted() {
        Map<String, Run> runs = Map.of("b", new Run("running", null), "c", new Run("failed", null), "d", new Run("completed", "\"x\""));

        Verdict verdict = SoakChecks.judge(Set.of("a", "b", "c", "d"), runs, JOURNAL, List.of(), Map.of(), at(10_000));

        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.stuck()).isEqualTo(1);
        assertThat(verdict.failed()).isEqualTo(1);
        assertThat(verdict.wrongResults()).isEqualTo(1);
        assertThat(verdict.violations()).isEqualTo(4);
    }

    @Test
    void aStepThatBeginsAfterItsCompletionWasCommittedIsARerun() {
        Verdict verdict = judge(COMPLETED, JOURNAL, List.of(
                execution("reserve", "node-1", 1, 0, 50),
                execution("reserve", "node-2", 2, 150, 200)), Map.of());

        assertThat(verdict.reRunsAfterCommit()).isEqualTo(1);
        assertThat(verdict.overlaps()).isZero();
    }

    @Test
    void aStepThatBeginsWhileAnotherExecutionOfItRunsIsAnOverlap() {
        Verdict verdict = judge(COMPLETED, JOURNAL, List.of(
                // an isolated node goes on with a long step that another node has taken up
                execution("ship", "node-1", 1, 2_950, 3_150),
                execution("ship", "node-2", 2, 3_000, 3_100)), Map.of());

        assertThat(verdict.overlaps()).isEqualTo(1);
    }

    @Test
    void anUnfinishedExecutionRunsUntilItsProcessDied() {
        List<Execution> executions = List.of(
                execution("charge", "node-1", 1, 2_200, null),
                execution("charge", "node-2", 2, 2_400, 2_900));

        assertThat(judge(COMPLETED, JOURNAL, executions, Map.of(1L, at(2_500))).overlaps()).isEqualTo(1);
        assertThat(judge(COMPLETED, JOURNAL, executions, Map.of(1L, at(2_300))).overlaps()).isZero();
        // a process that never died leaves the end unknown: counted, and as running to the end
        Verdict unknown = judge(COMPLETED, JOURNAL, executions, Map.of());
        assertThat(unknown.endsUnknown()).isEqualTo(1);
        assertThat(unknown.overlaps()).isEqualTo(1);
    }

    @Test
    void aStepAfterTheSleepThatBeginsBeforeItsDueTimeOrASleepTheJournalEndedEarlyIsAnEarlyTimer() {
        Verdict early = judge(COMPLETED, JOURNAL, List.of(execution("charge", "node-1", 1, 2_000, 2_050)), Map.of());
        Journal endedEarly = new Journal(JOURNAL.committed(), JOURNAL.sleepDue(), 1, 1);

        assertThat(early.earlyTimers()).isEqualTo(1);
        assertThat(judge(COMPLETED, endedEarly, List.of(), Map.of()).earlyTimers()).isEqualTo(1);
    }

    private static Verdict judge(Map<String, Run> runs, Journal journal, List<Execution> executions, Map<Long, Instant> deaths) {
        return SoakChecks.judge(Set.of(RUN), runs, journal, executions, deaths, at(10_000));
    }

    private static Execution execution(String step, String node, long pid, long startMillis, @Nullable Integer endMillis) {
        return new Execution(RUN, step, 1, node, pid, at(startMillis), endMillis == null ? null : at(endMillis));
    }

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }
}
