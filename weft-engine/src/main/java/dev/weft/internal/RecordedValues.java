package dev.weft.internal;

import dev.weft.payload.PayloadSerializer;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import dev.weft.time.TimeSource;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Values a workflow must see the same on every replay although they may differ between runs: the
 * time, and memoized results of its own code. Each is recorded the first time and read back after.
 */
final class RecordedValues {

    private static final String NOW = "now";
    private static final String MEMO_PREFIX = "memo:";

    private final RunExecution run;
    private final PayloadSerializer serializer;
    private final TimeSource time;

    RecordedValues(RunExecution run, PayloadSerializer serializer, TimeSource time) {
        this.run = run;
        this.serializer = serializer;
        this.time = time;
    }

    Instant now(long seq) {
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.VALUE, NOW);
            return Instant.parse(serializer.deserialize(entry.result(), String.class));
        }
        Instant now = time.now();
        run.commit(JournalEntry.completed(seq, EntryKind.VALUE, NOW, serializer.serialize(now.toString())));
        return now;
    }

    <T> @Nullable T memo(long seq, String key, Class<T> type, Supplier<? extends @Nullable T> supplier) {
        JournalEntry entry = run.recorded(seq);
        if (entry != null) {
            run.expect(entry, EntryKind.VALUE, MEMO_PREFIX + key);
            return serializer.deserialize(entry.result(), type);
        }
        run.throwIfReadOnly();
        // the memo's code may have effects: every earlier step's outcome is written before it runs
        run.writeHeldBack();
        T value = supplier.get();
        run.commit(JournalEntry.completed(seq, EntryKind.VALUE, MEMO_PREFIX + key, serializer.serialize(value)));
        return value;
    }
}
