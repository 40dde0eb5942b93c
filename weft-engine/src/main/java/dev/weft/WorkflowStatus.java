package dev.weft;

import java.util.Locale;

/** The state of a run. */
public enum WorkflowStatus {
    /** Started and not yet finished; it may be executing or waiting on a timer, a signal or a retry. */
    RUNNING,
    /**
     * Accepted under a concurrency limit that had no free slot: durable, not yet running. It starts
     * (becomes {@link #RUNNING}) in the order of acceptance when a run of its type and key ends, and
     * can be cancelled meanwhile. See {@link ConcurrencyLimit}.
     */
    QUEUED,
    /** Held by an operator: keeps its journal, is not driven or recovered until resumed. */
    SUSPENDED,
    COMPLETED,
    FAILED,
    CANCELLED,
    /** Ran past its execution timeout. */
    TIMED_OUT;

    public boolean isTerminal() {
        return this != RUNNING && this != SUSPENDED && this != QUEUED;
    }

    /** The lowercase name stored in the database and used on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorkflowStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
