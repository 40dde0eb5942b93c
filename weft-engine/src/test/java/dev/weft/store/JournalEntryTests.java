package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.failure.FailureInfo;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The named factories of {@link JournalEntry} write the same entries the kernel spelled out before. */
class JournalEntryTests {

    private static final Instant SCHEDULED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant DUE = SCHEDULED.plus(Duration.ofMinutes(5));
    private static final FailureInfo FAILURE = FailureInfo.of(new IllegalStateException("down"));

    @Test
    void completedCarriesOnlyItsResult() {
        assertThat(JournalEntry.completed(3, EntryKind.VALUE, "now", "\"x\""))
                .isEqualTo(new JournalEntry(3, EntryKind.VALUE, "now", EntryState.COMPLETED, "\"x\"", null, 0, null, null));
        assertThat(JournalEntry.completed(3, EntryKind.SIGNAL, "signal:go", null, SCHEDULED))
                .isEqualTo(new JournalEntry(3, EntryKind.SIGNAL, "signal:go", EntryState.COMPLETED, null, null, 0, null, SCHEDULED));
    }

    @Test
    void waitsAreWaitingWithADueTimeOrPendingWithout() {
        assertThat(JournalEntry.waiting(2, EntryKind.SLEEP, "sleep", DUE, SCHEDULED))
                .isEqualTo(new JournalEntry(2, EntryKind.SLEEP, "sleep", EntryState.WAITING, null, null, 0, DUE, SCHEDULED));
        assertThat(JournalEntry.pending(2, EntryKind.SIGNAL, "signal:go", SCHEDULED))
                .isEqualTo(new JournalEntry(2, EntryKind.SIGNAL, "signal:go", EntryState.PENDING, null, null, 0, null, SCHEDULED));
        assertThat(JournalEntry.failed(4, EntryKind.CHILD_RESULT, "child:c", FAILURE))
                .isEqualTo(new JournalEntry(4, EntryKind.CHILD_RESULT, "child:c", EntryState.FAILED, null, FAILURE, 0, null, null));
    }

    @Test
    void activityEntriesKeepTheirAttemptAndScheduleTime() {
        assertThat(JournalEntry.activityCompleted(1, "charge", "1", 2, SCHEDULED))
                .isEqualTo(new JournalEntry(1, EntryKind.ACTIVITY, "charge", EntryState.COMPLETED, "1", null, 2, null, SCHEDULED));
        assertThat(JournalEntry.activityFailed(1, "charge", FAILURE, 3, SCHEDULED))
                .isEqualTo(new JournalEntry(1, EntryKind.ACTIVITY, "charge", EntryState.FAILED, null, FAILURE, 3, null, SCHEDULED));
        assertThat(JournalEntry.activityRetrying(1, "charge", FAILURE, 2, DUE, SCHEDULED))
                .isEqualTo(new JournalEntry(1, EntryKind.ACTIVITY, "charge", EntryState.WAITING, null, FAILURE, 2, DUE, SCHEDULED));
        assertThat(JournalEntry.activityPending(1, "charge", 1, SCHEDULED))
                .isEqualTo(new JournalEntry(1, EntryKind.ACTIVITY, "charge", EntryState.PENDING, null, null, 1, null, SCHEDULED));
    }
}
