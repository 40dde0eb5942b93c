package dev.weft.soak;

import dev.weft.soak.SoakChecks.Verdict;
import java.time.Duration;

/** What one soak did and found: the faults injected, the runs submitted, and the {@link Verdict}. */
record SoakReport(SoakSettings settings, Duration submitting, Duration draining, int submitted, int failedStarts, int failedSignals,
        int kills, int databaseRestarts, int partitions, int exitsOnTheirOwn, Verdict verdict) {

    boolean passed() {
        return verdict.violations() == 0;
    }

    /** The summary printed at the end and written beside the soak's data. */
    String format() {
        return """
                Weft soak on %s: %s
                  settings            %s
                  submitting          %d s, then %d s until every run ended (or the drain timed out)
                  runs submitted      %d (starts that failed and were retried: %d; signals retried: %d)
                  runs acknowledged   %d
                  runs completed      %d
                  node kills          %d (SIGKILL; nodes that also exited on their own and were started again: %d)
                  database restarts   %d (crash and restart of the server)
                  partitions          %d (a node's database traffic blackholed for %d s, lease %d s)
                  step executions     %d (logged by the activities; beyond one per step: %d)
                  runs on 2+ nodes    %d (their steps ran on more than one node)
                  long steps stopped  %d (a step longer than the lease, told to stop before its end)
                  timers checked      %d (sleeps whose recorded end the early-timer check compared)
                violations
                  lost                %d (acknowledged, not in the database)
                  stuck               %d (still running)
                  failed              %d (ended other than completed)
                  wrong results       %d
                  re-runs             %d (a step began after its completion was committed)
                  overlaps            %d (a step began while another execution of it still ran)
                  early timers        %d (a sleep ended, or the step after it began, before its due time)
                  unknown ends        %d (an execution with no recorded end whose process did not die)
                """.formatted(settings.platform(), passed() ? "PASSED" : "FAILED (" + verdict.violations() + " violations)",
                settings, submitting.toSeconds(), draining.toSeconds(), submitted, failedStarts, failedSignals, verdict.acknowledged(),
                verdict.completed(), kills, exitsOnTheirOwn, databaseRestarts, partitions, settings.partitionFor().toSeconds(),
                settings.lease().toSeconds(), verdict.executions(), verdict.repeatedExecutions(), verdict.runsOnSeveralNodes(),
                verdict.longStepsStopped(), verdict.timersChecked(), verdict.lost(), verdict.stuck(), verdict.failed(),
                verdict.wrongResults(), verdict.reRunsAfterCommit(), verdict.overlaps(), verdict.earlyTimers(), verdict.endsUnknown());
    }
}
