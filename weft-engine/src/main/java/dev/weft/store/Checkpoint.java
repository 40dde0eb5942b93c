package dev.weft.store;

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
 */
public record Checkpoint(String runId, long epoch, List<JournalEntry> entries, @Nullable RunOutcome outcome) {

    public Checkpoint {
        Objects.requireNonNull(runId, "runId");
        entries = List.copyOf(entries);
        if (entries.isEmpty() && outcome == null) {
            throw new IllegalArgumentException("a checkpoint must write an entry or an outcome");
        }
    }

    public static Checkpoint of(String runId, long epoch, JournalEntry entry) {
        return new Checkpoint(runId, epoch, List.of(entry), null);
    }

    public static Checkpoint ending(String runId, long epoch, RunOutcome outcome) {
        return new Checkpoint(runId, epoch, List.of(), outcome);
    }
}
