package dev.weft.bench;

/**
 * How much work each workload does. {@link #full()} is the scale, the one that goes on
 * record; {@link #quick()} is for development.
 *
 * @param rounds measured rounds per system (a warm-up round of a fifth of the work comes first)
 */
record Scale(String name, int rounds, int throughputWorkflows, int otherDatabaseWorkflows, int overheadWorkflows,
        int recoveryRuns, int parkedRuns, int parkRounds, int recoveryRounds, double pgbenchSeconds, int batchRows) {

    /**
     * The scale on PostgreSQL. W1 on H2 and MariaDB runs 2,000 workflows per trial instead of
     * 10,000, so that a whole run fits in about twenty minutes on the shared 2-core machine. W4 parks
     * the 100,000 runs, in one measured round after a warm-up of 20,000.
     */
    static Scale full() {
        return new Scale("full", 5, 10_000, 2_000, 1_000, 10_000, 100_000, 1, 2, 5, 100_000);
    }

    /**
     * The recorded runs of the peer DBOS (W1 to W4 on PostgreSQL, three systems in each round):
     * smaller than {@link #full()} so that they fit in about twenty minutes on the shared machine.
     */
    static Scale peer() {
        return new Scale("peer", 5, 2_000, 1_000, 300, 2_000, 20_000, 1, 1, 5, 100_000);
    }

    static Scale quick() {
        return new Scale("quick", 5, 400, 400, 100, 500, 2_000, 1, 1, 1, 5_000);
    }

    /** This scale with {@code workflows} per measured round of W1 and W2 on every database. */
    Scale withThroughputWorkflows(int workflows) {
        if (workflows < 1) {
            throw new IllegalArgumentException("workflows must be at least 1, was " + workflows);
        }
        return new Scale(name, rounds, workflows, workflows, workflows, recoveryRuns, parkedRuns, parkRounds,
                recoveryRounds, pgbenchSeconds, batchRows);
    }

    int warmUp(int work) {
        return Math.max(1, work / 5);
    }
}
