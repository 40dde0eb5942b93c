package dev.weft.internal;

import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import dev.weft.time.StorableTimes;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Durable sleeps: the due time is recorded before the sleep starts, so a restart finishes the
 * same sleep instead of starting it again. A long sleep parks the run.
 */
final class Sleeps {

    private static final String SLEEP = "sleep";

    private final RunExecution run;
    private final RunParking parking;
    private final RunWakeups wakeups;
    private final TimeSource time;

    Sleeps(RunExecution run, TimeSource time) {
        this.run = run;
        this.parking = run.parking();
        this.wakeups = run.wakeups();
        this.time = time;
    }

    /** @param mayPark whether the run may be given up during the sleep: not for a branch of a group */
    void sleep(long seq, Duration duration, boolean mayPark) {
        JournalEntry entry = run.recorded(seq);
        Instant due;
        if (entry != null) {
            run.expect(entry, EntryKind.SLEEP, SLEEP);
            if (entry.state().isFinished()) {
                return;
            }
            // The timer recorded at the first run, never a second one: a restart does not restart the sleep.
            due = entry.dueAt();
            if (mayPark && parking.mayPark(due)) {
                parking.park(List.of(), due, wakeups.signal());
            }
        } else {
            due = StorableTimes.after(time.now(), duration, "A sleep");
            JournalEntry waiting = JournalEntry.waiting(seq, EntryKind.SLEEP, SLEEP, due, time.now());
            if (mayPark && parking.mayPark(due)) {
                parking.park(List.of(waiting), due, wakeups.signal());
            }
            run.commit(waiting);
        }
        CompletableFuture<Void> timer = time.timer(due);
        try {
            run.await(timer);
        } finally {
            timer.cancel(false);
        }
        run.commit(JournalEntry.completed(seq, EntryKind.SLEEP, SLEEP, null));
    }
}
