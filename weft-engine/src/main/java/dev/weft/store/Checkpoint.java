package dev.weft.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One durable transition of one run: journal entries to write and, for the last one, the run's
 * outcome. A checkpoint is applied whole or not at all, and only while the run's epoch is still
 * {@code epoch}: a node that lost the run cannot write to it.
 *
 * @param runId the run
 * @param epoch the fencing epoch under which the writer owns the run
 * @param entries journal entries to insert or replace (by run and seq)
 * @param outcome the run's end, or {@code null} while it goes on
 * @param consumedSignal the id of a signal this checkpoint consumes (with the last of its entries,
 *     which records it), or {@code null}
 * @param parkUntil when set, the owner gives the run up after this checkpoint, to be taken up
 *     again (by any node) once this time (engine clock) has come or a signal arrives
 * @param startsChild a child run created with this checkpoint (with the entry that records its start), or {@code null}
 * @param creates the run this checkpoint creates ({@code runId} is its id, {@code epoch} 1), or
 *     {@code null}: so that the starts of many runs share one transaction like their steps do
 * @param records reconciliation records of the run written (inserted or replaced) with the
 *     checkpoint, in order: a keyed step's completed outcome travels with its journal entry, so
 *     that a crash can never leave one without the other, and costs a row instead of a commit; the
 *     next keyed step's {@code started} record may travel with them (see {@link #after})
 * @param enqueues the task this checkpoint puts on a queue (with the entry that records the step as
 *     queued), or {@code null}
 */
public record Checkpoint(String runId, long epoch, List<JournalEntry> entries, @Nullable RunOutcome outcome,
        @Nullable Long consumedSignal, @Nullable Instant parkUntil, @Nullable NewRun startsChild, @Nullable NewRun creates,
        List<ActivityRecord> records, @Nullable NewTask enqueues) {

    public Checkpoint(String runId, long epoch, List<JournalEntry> entries, @Nullable RunOutcome outcome,
            @Nullable Long consumedSignal, @Nullable Instant parkUntil, @Nullable NewRun startsChild, @Nullable NewRun creates) {
        this(runId, epoch, entries, outcome, consumedSignal, parkUntil, startsChild, creates, List.of(), null);
    }

    public Checkpoint(String runId, long epoch, List<JournalEntry> entries, @Nullable RunOutcome outcome,
            @Nullable Long consumedSignal, @Nullable Instant parkUntil) {
        this(runId, epoch, entries, outcome, consumedSignal, parkUntil, null, null);
    }

    public Checkpoint(String runId, long epoch, List<JournalEntry> entries, @Nullable RunOutcome outcome,
            @Nullable Long consumedSignal, @Nullable Instant parkUntil, @Nullable NewRun startsChild) {
        this(runId, epoch, entries, outcome, consumedSignal, parkUntil, startsChild, null);
    }

    /** Creates {@code run}, owned from the start by its node, under epoch 1. */
    public static Checkpoint creating(NewRun run) {
        return new Checkpoint(run.id(), 1, List.of(), null, null, null, null, run);
    }

    /** Records {@code entry} and creates the child run it starts. */
    public static Checkpoint startingChild(String runId, long epoch, JournalEntry entry, NewRun child) {
        return new Checkpoint(runId, epoch, List.of(entry), null, null, null, child);
    }

    public Checkpoint {
        Objects.requireNonNull(runId, "runId");
        entries = List.copyOf(entries);
        records = List.copyOf(records);
        if (entries.isEmpty() && outcome == null && parkUntil == null && creates == null && records.isEmpty()) {
            throw new IllegalArgumentException("a checkpoint must write an entry, an outcome, a park or a record");
        }
        for (ActivityRecord record : records) {
            if (!record.runId().equals(runId)) {
                throw new IllegalArgumentException("a checkpoint of run '" + runId + "' cannot write a record of run '"
                        + record.runId() + "'");
            }
        }
        if (outcome != null && parkUntil != null) {
            throw new IllegalArgumentException("a run that ends cannot be parked");
        }
        if (consumedSignal != null && entries.isEmpty()) {
            throw new IllegalArgumentException("a consumed signal must be recorded by an entry");
        }
        if (enqueues != null && (entries.isEmpty() || outcome != null || !enqueues.runId().equals(runId))) {
            throw new IllegalArgumentException("a task must be enqueued by its own run, with the entry that records it");
        }
    }

    public Checkpoint(String runId, long epoch, List<JournalEntry> entries, @Nullable RunOutcome outcome) {
        this(runId, epoch, entries, outcome, null, null);
    }

    /** Records {@code entry}, a step queued, and puts its task on the queue. */
    public static Checkpoint enqueuing(String runId, long epoch, JournalEntry entry, NewTask task) {
        return new Checkpoint(runId, epoch, List.of(entry), null, null, null, null, null, List.of(), task);
    }

    /** Records {@code entry} and consumes the signal it records. */
    public static Checkpoint consuming(String runId, long epoch, JournalEntry entry, long signalId) {
        return new Checkpoint(runId, epoch, List.of(entry), null, signalId, null);
    }

    /** Gives the run up until {@code wakeAt}, after writing {@code entries}. */
    public static Checkpoint parking(String runId, long epoch, List<JournalEntry> entries, Instant wakeAt) {
        return new Checkpoint(runId, epoch, entries, null, null, wakeAt);
    }

    public static Checkpoint of(String runId, long epoch, JournalEntry entry) {
        return new Checkpoint(runId, epoch, List.of(entry), null);
    }

    /** Records {@code entry} and writes {@code record} with it. */
    public static Checkpoint recording(String runId, long epoch, JournalEntry entry, ActivityRecord record) {
        return new Checkpoint(runId, epoch, List.of(entry), null, null, null, null, null, List.of(record), null);
    }

    /** Writes {@code record} alone, as fenced as any checkpoint: a keyed step's record before its dispatch. */
    public static Checkpoint recording(long epoch, ActivityRecord record) {
        return new Checkpoint(record.runId(), epoch, List.of(), null, null, null, null, null, List.of(record), null);
    }

    /** Whether this checkpoint writes rows only (entries, records): it creates, ends, parks, consumes, starts and enqueues nothing. */
    public boolean writesRowsOnly() {
        return creates == null && outcome == null && parkUntil == null && consumedSignal == null && startsChild == null
                && enqueues == null;
    }

    /**
     * This checkpoint with the rows of {@code earlier}, a checkpoint of the same run and epoch
     * that writes rows only, written first in the same transaction: a keyed step's completion
     * waiting for the run's next write travels with it instead of costing a commit of its own.
     */
    public Checkpoint after(Checkpoint earlier) {
        if (!earlier.runId.equals(runId) || earlier.epoch != epoch || !earlier.writesRowsOnly() || creates != null) {
            throw new IllegalArgumentException("only rows of the same run and epoch can be written before a checkpoint of run '"
                    + runId + "'");
        }
        return new Checkpoint(runId, epoch, concat(earlier.entries, entries), outcome, consumedSignal, parkUntil, startsChild,
                null, concat(earlier.records, records), enqueues);
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        if (first.isEmpty()) {
            return second;
        }
        List<T> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return all;
    }

    public static Checkpoint ending(String runId, long epoch, RunOutcome outcome) {
        return new Checkpoint(runId, epoch, List.of(), outcome);
    }
}
