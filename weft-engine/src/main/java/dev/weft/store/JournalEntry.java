package dev.weft.store;

import dev.weft.failure.FailureInfo;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One durable operation of a run, at its position ({@code seq}, from 1) in the run's journal.
 * An entry is written again (same run and seq) as it moves on: a backoff entry becomes a later
 * backoff entry, then a completed or failed one.
 *
 * @param seq the position of the operation in the run, from 1
 * @param kind the kind of operation
 * @param name the activity name, or a description that replay checks (a group's shape, a memo key)
 * @param state where it stands
 * @param result the JSON result when {@link EntryState#COMPLETED}
 * @param failure the failure when {@link EntryState#FAILED}, or the last attempt's failure while waiting to retry
 * @param attempt for an activity, the attempt that finished (completed/failed) or the next one due (waiting)
 * @param dueAt when a waiting entry is due (engine clock)
 * @param scheduledAt when the operation was first scheduled (engine clock): the start of a schedule-to-close budget
 */
public record JournalEntry(
        long seq,
        EntryKind kind,
        String name,
        EntryState state,
        @Nullable String result,
        @Nullable FailureInfo failure,
        int attempt,
        @Nullable Instant dueAt,
        @Nullable Instant scheduledAt) {

    public JournalEntry {
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be at least 1, was " + seq);
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        if (state == EntryState.WAITING && dueAt == null) {
            throw new IllegalArgumentException("a waiting entry needs a due time (seq " + seq + ")");
        }
    }
}
