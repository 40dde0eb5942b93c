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

    /** A finished operation with its result (or none, as a sleep or a timed-out wait has). */
    public static JournalEntry completed(long seq, EntryKind kind, String name, @Nullable String result) {
        return new JournalEntry(seq, kind, name, EntryState.COMPLETED, result, null, 0, null, null);
    }

    /** A finished operation that keeps when it was first scheduled (a signal wait, a child's start). */
    public static JournalEntry completed(long seq, EntryKind kind, String name, @Nullable String result,
            @Nullable Instant scheduledAt) {
        return new JournalEntry(seq, kind, name, EntryState.COMPLETED, result, null, 0, null, scheduledAt);
    }

    /** An operation that failed for good (a child's result when the child did not complete). */
    public static JournalEntry failed(long seq, EntryKind kind, String name, FailureInfo failure) {
        return new JournalEntry(seq, kind, name, EntryState.FAILED, null, failure, 0, null, null);
    }

    /** An operation waiting until {@code dueAt} (a sleep, a wait for a signal with a timeout). */
    public static JournalEntry waiting(long seq, EntryKind kind, String name, Instant dueAt, Instant scheduledAt) {
        return new JournalEntry(seq, kind, name, EntryState.WAITING, null, null, 0, dueAt, scheduledAt);
    }

    /** An operation waiting for something other than time (a wait for a signal without a timeout). */
    public static JournalEntry pending(long seq, EntryKind kind, String name, Instant scheduledAt) {
        return new JournalEntry(seq, kind, name, EntryState.PENDING, null, null, 0, null, scheduledAt);
    }

    /** An activity step whose attempt {@code attempt} returned {@code result}. */
    public static JournalEntry activityCompleted(long seq, String name, @Nullable String result, int attempt,
            Instant scheduledAt) {
        return new JournalEntry(seq, EntryKind.ACTIVITY, name, EntryState.COMPLETED, result, null, attempt, null, scheduledAt);
    }

    /** An activity step that failed for good at attempt {@code attempt}. */
    public static JournalEntry activityFailed(long seq, String name, FailureInfo failure, int attempt, Instant scheduledAt) {
        return new JournalEntry(seq, EntryKind.ACTIVITY, name, EntryState.FAILED, null, failure, attempt, null, scheduledAt);
    }

    /** An activity step backing off after {@code lastFailure}: attempt {@code nextAttempt} is due at {@code dueAt}. */
    public static JournalEntry activityRetrying(long seq, String name, FailureInfo lastFailure, int nextAttempt, Instant dueAt,
            Instant scheduledAt) {
        return new JournalEntry(seq, EntryKind.ACTIVITY, name, EntryState.WAITING, null, lastFailure, nextAttempt, dueAt,
                scheduledAt);
    }

    /** An activity step whose attempt {@code attempt} waits for its outcome to arrive with its completion token. */
    public static JournalEntry activityPending(long seq, String name, int attempt, Instant scheduledAt) {
        return new JournalEntry(seq, EntryKind.ACTIVITY, name, EntryState.PENDING, null, null, attempt, null, scheduledAt);
    }

    /** An activity step whose attempt {@code attempt} waits in a queue for a worker to claim and run it. */
    public static JournalEntry activityQueued(long seq, String name, int attempt, Instant scheduledAt) {
        return new JournalEntry(seq, EntryKind.ACTIVITY, name, EntryState.QUEUED, null, null, attempt, null, scheduledAt);
    }
}
