package dev.weft.soak;

import dev.weft.soak.ExecutionLog.Execution;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What the soak checks once every node is up and the runs had their time to end, read from the
 * engine's tables and from the {@link ExecutionLog}:
 *
 * <ul>
 *   <li>every acknowledged run exists and completed with the expected result (not lost, not stuck, not failed);
 *   <li>no execution of a step began after the step's completion was committed (the journal entry's
 *       {@code updated_at}, taken by the database inside the committing transaction, so never after the commit);
 *   <li>no two executions of one step of one run overlapped in time; an execution that a kill cut
 *       short counts as running until its process was seen gone;
 *   <li>no sleep ended before its due time: neither the time the workflow recorded just after it nor
 *       an execution of the step after it is earlier than the time recorded just before it plus the
 *       sleep (a lower bound of the due time, which a completed sleep's entry no longer holds).
 * </ul>
 */
final class SoakChecks {

    /**
     * The counts the checks arrive at. {@code lost} to {@code endsUnknown} are violations; the others
     * say how much the faults did and how much was checked: executions beyond one per step
     * (at-least-once at work), runs whose steps ran on more than one node, long steps the engine
     * stopped before their end, and sleeps whose end the journal let the timer check see.
     */
    record Verdict(int acknowledged, int completed, int executions, int repeatedExecutions, int runsOnSeveralNodes,
            int longStepsStopped, int timersChecked, int lost, int stuck, int failed, int wrongResults, int reRunsAfterCommit, int overlaps,
            int earlyTimers, int endsUnknown) {

        int violations() {
            return lost + stuck + failed + wrongResults + reRunsAfterCommit + overlaps + earlyTimers + endsUnknown;
        }
    }

    private final DataSource dataSource;
    private final String platform;

    SoakChecks(DataSource dataSource, String platform) {
        this.dataSource = dataSource;
        this.platform = platform;
    }

    /** A run as the engine's table holds it. */
    record Run(String status, @Nullable String result) {
    }

    /**
     * What the journal says about time: when each completed step's completion was committed
     * ({@code run/step} to its {@code updated_at}), a lower bound of each run's sleep due time, and
     * how many sleeps the journal shows ended before it.
     */
    record Journal(Map<String, Instant> committed, Map<String, Instant> sleepDue, int sleepsChecked, int sleepsEndedEarly) {
    }

    /**
     * Reads the database and judges it.
     *
     * @param deaths when each worker process was seen gone, by pid
     * @param end when the soak ended: an unfinished execution of a process still alive counts as running until then
     */
    Verdict check(Set<String> acknowledged, Map<Long, Instant> deaths, Instant end) throws SQLException {
        return judge(acknowledged, runs(), journal(), ExecutionLog.readAll(dataSource), deaths, end);
    }

    static Verdict judge(Set<String> acknowledged, Map<String, Run> runs, Journal journal, List<Execution> executions,
            Map<Long, Instant> deaths, Instant end) {
        int lost = 0;
        int stuck = 0;
        int failed = 0;
        int wrong = 0;
        int completed = 0;
        for (String id : acknowledged) {
            Run run = runs.get(id);
            if (run == null) {
                lost++;
            } else if (run.status().equals("running")) {
                stuck++;
            } else if (!run.status().equals("completed")) {
                failed++;
            } else if (!("\"" + SoakWorkflow.resultOf(id) + "\"").equals(run.result())) {
                wrong++;
            } else {
                completed++;
            }
        }
        int earlyTimers = journal.sleepsEndedEarly();
        int reRuns = 0;
        for (Execution execution : executions) {
            Instant completedAt = journal.committed().get(execution.runId() + "/" + execution.step());
            if (completedAt != null && execution.startedAt().isAfter(completedAt)) {
                reRuns++;
            }
            Instant due = journal.sleepDue().get(execution.runId());
            if (execution.step().equals(SoakWorkflow.STEP_AFTER_SLEEP) && due != null && execution.startedAt().isBefore(due)) {
                earlyTimers++;
            }
        }
        int[] endsUnknown = {0};
        int overlaps = 0;
        Map<String, List<Execution>> bySteps = executions.stream()
                .collect(Collectors.groupingBy(execution -> execution.runId() + "/" + execution.step()));
        for (List<Execution> ofStep : bySteps.values()) {
            overlaps += overlapsWithin(ofStep, deaths, end, endsUnknown);
        }
        int repeated = executions.size() - bySteps.size();
        int severalNodes = (int) executions.stream()
                .collect(Collectors.groupingBy(Execution::runId, Collectors.mapping(Execution::node, Collectors.toSet())))
                .values().stream().filter(nodes -> nodes.size() > 1).count();
        int stopped = (int) executions.stream().filter(SoakChecks::longStepStoppedEarly).count();
        return new Verdict(acknowledged.size(), completed, executions.size(), repeated, severalNodes, stopped, journal.sleepsChecked(),
                lost, stuck, failed, wrong, reRuns, overlaps, earlyTimers, endsUnknown[0]);
    }

    /** A long step that ended (its activity returned or threw) well before its time: the engine told it to stop. */
    private static boolean longStepStoppedEarly(Execution execution) {
        Instant finished = execution.finishedAt();
        return finished != null && SoakWorkflow.isLong(execution.step(), execution.runId())
                && Duration.between(execution.startedAt(), finished).compareTo(SoakWorkflow.LONG_STEP.minusMillis(500)) < 0;
    }

    /** Executions of one step that began while an earlier one still ran. */
    private static int overlapsWithin(List<Execution> ofStep, Map<Long, Instant> deaths, Instant end, int[] endsUnknown) {
        List<Execution> ordered = ofStep.stream().sorted(Comparator.comparing(Execution::startedAt)).toList();
        int overlaps = 0;
        Instant latestEnd = Instant.MIN;
        for (Execution execution : ordered) {
            if (execution.startedAt().isBefore(latestEnd)) {
                overlaps++;
            }
            Instant ended = execution.finishedAt();
            if (ended == null) {
                ended = deaths.get(execution.pid());
                if (ended == null) {
                    // neither finished nor killed: the log lost its end, and the check cannot clear it
                    endsUnknown[0]++;
                    ended = end;
                }
            }
            if (ended.isAfter(latestEnd)) {
                latestEnd = ended;
            }
        }
        return overlaps;
    }

    private Map<String, Run> runs() throws SQLException {
        Map<String, Run> runs = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select id, status, result from weft_run")) {
            while (rows.next()) {
                runs.put(rows.getString("id"), new Run(rows.getString("status"), rows.getString("result")));
            }
        }
        return runs;
    }

    private Journal journal() throws SQLException {
        Map<String, Instant> committed = new HashMap<>();
        Map<String, Instant> sleptFrom = new HashMap<>();
        Map<String, Instant> wokeAt = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select run_id, seq, kind, name, state, result, updated_at from weft_journal"
                        + " where kind in ('activity', 'value')")) {
            while (rows.next()) {
                String runId = rows.getString("run_id");
                if (rows.getString("kind").equals("activity")) {
                    if (rows.getString("state").equals("completed")) {
                        committed.put(runId + "/" + rows.getString("name"), Objects.requireNonNull(instant(rows, "updated_at")));
                    }
                } else if (rows.getLong("seq") == SoakWorkflow.SLEPT_FROM_SEQ) {
                    sleptFrom.put(runId, recordedNow(rows.getString("result")));
                } else if (rows.getLong("seq") == SoakWorkflow.WOKE_AT_SEQ) {
                    wokeAt.put(runId, recordedNow(rows.getString("result")));
                }
            }
        }
        // a completed sleep keeps no due time in the journal; the time recorded just before it bounds it from below
        Map<String, Instant> due = new HashMap<>();
        sleptFrom.forEach((runId, from) -> due.put(runId, from.plus(SoakWorkflow.SLEEP)));
        List<Map.Entry<String, Instant>> checked = wokeAt.entrySet().stream()
                .filter(woke -> due.containsKey(woke.getKey())).toList();
        int early = (int) checked.stream().filter(woke -> woke.getValue().isBefore(due.get(woke.getKey()))).count();
        return new Journal(committed, due, checked.size(), early);
    }

    /** A recorded {@code now()}: an instant as a JSON string. */
    private static Instant recordedNow(String json) {
        return Instant.parse(json.substring(1, json.length() - 1));
    }

    private @Nullable Instant instant(ResultSet rows, String column) throws SQLException {
        if (platform.equals("mariadb")) {
            // the engine's MariaDB columns are datetime(6) holding UTC
            LocalDateTime value = rows.getObject(column, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
