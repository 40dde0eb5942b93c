package dev.weft.store;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The reconciliation record of a keyed activity in a run: whether an attempt was dispatched and
 * whether it is known to have completed. One per (run, activity, key digest).
 *
 * @param seq the journal position of the step that wrote it last
 * @param attempt the attempt it speaks of
 * @param result the completed attempt's result JSON; {@code null} while started
 */
public record ActivityRecord(String runId, String activity, String keyDigest, long seq, State state, int attempt,
        @Nullable String result) {

    /** Where the record stands. Stored by its lowercase name. */
    public enum State {

        /** An attempt was (about to be) dispatched; whether it took effect is not known. */
        STARTED,

        /** An attempt completed with {@link #result()}. */
        COMPLETED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static ActivityRecord started(String runId, String activity, String keyDigest, long seq, int attempt) {
        return new ActivityRecord(runId, activity, keyDigest, seq, State.STARTED, attempt, null);
    }

    public static ActivityRecord completed(String runId, String activity, String keyDigest, long seq, int attempt, String result) {
        return new ActivityRecord(runId, activity, keyDigest, seq, State.COMPLETED, attempt, result);
    }
}
