package dev.weft.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * W3 for the peer DBOS: a child JVM starts the runs as one executor, step 1 of each is checkpointed
 * and step 2 held, and the child is SIGKILLed; a fresh child with the same executor id launches DBOS,
 * which recovers that executor's pending runs by itself. Measured: from just before the launch until
 * every run succeeded. DBOS has no lease to lapse, so the engine's second variant (adoption by a
 * running engine) has no counterpart here: another executor's runs are recovered only when asked for.
 */
final class DbosRecovery {

    private final Database database;
    private final Scale scale;
    private final Results results;

    DbosRecovery(Database database, Scale scale, Results results) {
        this.database = database;
        this.scale = scale;
        this.results = results;
    }

    void run() throws Exception {
        for (int round = 1; round <= scale.recoveryRounds(); round++) {
            int runs = scale.recoveryRuns();
            String executor = "w3-dbos-" + round;
            database.truncate();
            DbosPeer.truncate(database);
            ChildProcess doomed = child("crash", executor, runs);
            try {
                doomed.await("ARMED");
            } finally {
                // killed whatever happens: a child left alive keeps its connections and its runs
                doomed.kill();
            }
            database.awaitSessionsEnded(DbosRecoveryChild.APPLICATION);
            int recorded;
            try (var pool = database.pool(1, "weft-bench-w3-check")) {
                recorded = DbosPeer.recordedSteps(pool, Flows.STEP_ONE);
            }
            if (recorded != runs) {
                throw new IllegalStateException("step 1 is not recorded for every DBOS run");
            }
            ChildProcess recovering = child("recover", executor, runs);
            recovering.await("READY");
            String[] done = recovering.await("DONE").split(" ");
            recovering.process().waitFor();
            double seconds = Double.parseDouble(done[1]);
            Map<String, Double> extra = new LinkedHashMap<>();
            extra.put("recoverySeconds", seconds);
            extra.put("reExecutions", Double.parseDouble(done[2]));
            extra.put("recovered", Double.parseDouble(done[3]));
            results.add(new Trial("W3", database.label(), "DBOS", "fresh process, same executor", 1, round, runs, "runs",
                    seconds, runs / seconds, Double.NaN, Double.NaN, Double.NaN, null, null,
                    Double.parseDouble(done[4]) * 1000 / runs, extra));
        }
    }

    private ChildProcess child(String mode, String executor, int runs) throws java.io.IOException {
        return ChildProcess.start(List.of(DbosRecoveryChild.COMMAND, mode, database.url(), database.user(), database.password(),
                executor, Integer.toString(runs)), executor + "-" + mode);
    }
}
