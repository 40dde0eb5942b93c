package dev.weft.internal;

import dev.weft.failure.NonDeterministicWorkflowException;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The journal an execution replays, by position, as it was when the execution began. */
final class RecordedJournal {

    private final Map<Long, JournalEntry> entries;
    private final long highestSeq;

    RecordedJournal(List<JournalEntry> journal) {
        this.entries = journal.stream().collect(Collectors.toUnmodifiableMap(JournalEntry::seq, Function.identity()));
        this.highestSeq = journal.stream().mapToLong(JournalEntry::seq).max().orElse(0);
    }

    @Nullable JournalEntry at(long seq) {
        return entries.get(seq);
    }

    /** The highest position recorded, or 0 for a new run. */
    long highestSeq() {
        return highestSeq;
    }

    /**
     * The failure of a replay that asks for another operation than the one recorded at its
     * position, or {@code null} when {@code entry} is the operation asked for.
     */
    static @Nullable NonDeterministicWorkflowException divergence(String runId, String type, JournalEntry entry, EntryKind kind,
            String name) {
        if (entry.kind() == kind && entry.name().equals(name)) {
            return null;
        }
        return new NonDeterministicWorkflowException("Workflow '" + runId + "' (" + type + ") is not deterministic: at position "
                + entry.seq() + " the journal recorded " + describe(entry.kind(), entry.name())
                + " but the workflow now asks for " + describe(kind, name));
    }

    private static String describe(EntryKind kind, String name) {
        return kind.name().toLowerCase(Locale.ROOT) + " '" + name + "'";
    }
}
