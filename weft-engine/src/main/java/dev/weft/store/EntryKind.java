package dev.weft.store;

/** The kind of durable operation a journal entry records. Stored by its lowercase name. */
public enum EntryKind {
    /** A call of an activity by name. */
    ACTIVITY,
    /** A durable sleep; its due time is the timer. */
    SLEEP,
    /** A parallel group ({@code all}, {@code runAll}, {@code race}); its branches take the next positions. */
    GROUP,
    /** A value recorded once and replayed: {@code now()}, {@code memo(...)}. */
    VALUE,
    /** A wait for a signal; its result is the consumed signal's payload, or none when the wait timed out. */
    SIGNAL,
    /** The version a run took at a code change ({@code getVersion}); its result is the version number. */
    VERSION,
    /** The start of a child workflow; its result is the child's run id. */
    CHILD,
    /** A wait for a child workflow's end; its result is the child's result, or its failure. */
    CHILD_RESULT
}
