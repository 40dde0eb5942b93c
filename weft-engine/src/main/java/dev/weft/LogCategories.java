package dev.weft;

/**
 * The names of the loggers Weft writes to, for tuning their levels (for example
 * {@code logging.level.dev.weft.runs=debug} in Spring Boot). Weft logs through SLF4J under these
 * names, not under its class names, so that a category stays stable when the code moves.
 */
public final class LogCategories {

    /**
     * The engine as a whole: the start-up line of a node, development-mode warnings, lease renewal
     * failing, recovering or lost, and listeners that throw.
     */
    public static final String ENGINE = "dev.weft.engine";

    /**
     * Runs: failed, timed out or cancelled (WARN), taken up after a restart or adopted from another
     * node (INFO, one line of counts per pass), a checkpoint refused because the run was lost
     * (ERROR); started, completed, woken and recovered runs at DEBUG.
     */
    public static final String RUNS = "dev.weft.runs";

    /** Activities: a retry scheduled (INFO), an activity failed for good (INFO); each attempt at DEBUG. */
    public static final String ACTIVITIES = "dev.weft.activities";

    /** The store: checkpoints retried while the database is away. */
    public static final String STORE = "dev.weft.store";

    private LogCategories() {
    }
}
