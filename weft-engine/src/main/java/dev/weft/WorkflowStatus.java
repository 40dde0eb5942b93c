package dev.weft;

import java.util.Locale;

/** The state of a run. */
public enum WorkflowStatus {
    /** Started and not yet finished; it may be executing or waiting on a timer or a retry. */
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }

    /** The lowercase name stored in the database and used on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorkflowStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
