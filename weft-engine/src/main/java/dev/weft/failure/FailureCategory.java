package dev.weft.failure;

import java.util.Locale;

/** The broad class of a failure, shared by every {@link WeftException} and every recorded failure. */
public enum FailureCategory {
    /** The user's code threw. */
    APPLICATION,
    /** A deadline passed: a per-attempt timeout, a schedule-to-close budget, a wait for a result. */
    TIMEOUT,
    /** The run was cancelled. */
    CANCELLATION,
    /** A resource the engine needs (the database, a thread) was unavailable. */
    RESOURCE,
    /** The engine itself refused: non-determinism, lost ownership, a bad registration. */
    SYSTEM;

    /** The lowercase name used in stored records and on the wire ({@code "timeout"}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@link #wireName()}; unknown names read as {@link #APPLICATION}. */
    public static FailureCategory fromWireName(String name) {
        for (FailureCategory category : values()) {
            if (category.wireName().equals(name)) {
                return category;
            }
        }
        return APPLICATION;
    }
}
