package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.failure.StoreException;
import dev.weft.payload.PayloadSerializer;
import dev.weft.store.EntryKind;
import dev.weft.store.JournalEntry;
import dev.weft.store.PendingSignal;
import dev.weft.store.WorkflowStore;
import dev.weft.time.StorableTimes;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for signals ({@code awaitSignal}): each wait consumes the next stored signal of its name,
 * waking on the run's wake signal when one arrives and on a timer at its deadline.
 */
final class SignalWaits {

    private static final String PREFIX = "signal:";
    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.STORE);

    private final RunExecution run;
    private final RunParking parking;
    private final RunWakeups wakeups;
    private final WorkflowStore store;
    private final PayloadSerializer serializer;
    private final TimeSource time;

    SignalWaits(RunExecution run, WorkflowStore store, PayloadSerializer serializer, TimeSource time) {
        this.run = run;
        this.parking = run.parking();
        this.wakeups = run.wakeups();
        this.store = store;
        this.serializer = serializer;
        this.time = time;
    }

    /**
     * Consumes the next signal of {@code name}, waiting for it up to the recorded deadline. The
     * wait is recorded first (with its deadline), so replay keeps the deadline; the consumption is
     * recorded with the signal marked consumed, in one checkpoint.
     *
     * @param timeout how long to wait, or {@code null} to wait as long as it takes
     * @return the payload, or empty when the wait timed out
     */
    <T> Optional<T> await(long seq, String name, Class<T> payloadType, @Nullable Duration timeout) {
        String entryName = PREFIX + name;
        JournalEntry entry = run.recorded(seq);
        Instant deadline;
        Instant scheduledAt;
        if (entry != null) {
            run.expect(entry, EntryKind.SIGNAL, entryName);
            if (entry.state().isFinished()) {
                return Optional.ofNullable(serializer.deserialize(entry.result(), payloadType));
            }
            deadline = entry.dueAt();
            scheduledAt = entry.scheduledAt();
        } else {
            scheduledAt = time.now();
            deadline = timeout == null ? null : StorableTimes.after(scheduledAt, timeout, "The timeout of a wait for signal '" + name + "'");
        }
        JournalEntry waiting = deadline == null
                ? JournalEntry.pending(seq, EntryKind.SIGNAL, entryName, scheduledAt)
                : JournalEntry.waiting(seq, EntryKind.SIGNAL, entryName, deadline, scheduledAt);
        boolean recorded = entry != null;
        boolean outageLogged = false;
        while (true) {
            CompletableFuture<Void> wake = wakeups.signal();
            Optional<PendingSignal> signal;
            try {
                signal = store.nextSignal(run.runId(), name);
            } catch (StoreException e) {
                // The database is away (a restart, a partition): a wait does not fail the run for it, it
                // reads again, as a checkpoint is written again. A long outage ends with the lease keeper
                // abandoning the run, which ends this wait too.
                if (!outageLogged) {
                    LOG.warn("Could not read the '{}' signals of run {}; reading again every {} until the database answers", name,
                            run.runId(), OutageTimer.READ_RETRY_WAIT, e);
                    outageLogged = true;
                }
                OutageTimer.awaitReadRetry(run, wake);
                continue;
            }
            if (signal.isPresent()) {
                String payload = signal.get().payload();
                // A signal whose payload is null still has a result ("null"): unlike a timed-out wait.
                run.commitConsuming(JournalEntry.completed(seq, EntryKind.SIGNAL, entryName, payload == null ? "null" : payload,
                        scheduledAt), signal.get().id());
                return Optional.ofNullable(serializer.deserialize(payload, payloadType));
            }
            if (deadline != null && !time.now().isBefore(deadline)) {
                // A timed-out wait has no result at all, unlike a signal whose payload is null.
                run.commit(JournalEntry.completed(seq, EntryKind.SIGNAL, entryName, null, scheduledAt));
                return Optional.empty();
            }
            Instant wakeAt = deadline == null ? WorkflowStore.FAR_FUTURE : deadline;
            if (!wake.isDone() && parking.mayPark(wakeAt)) {
                parking.park(recorded ? List.of() : List.of(waiting), wakeAt, wake);
            }
            if (!recorded) {
                run.commit(waiting);
                recorded = true;
            }
            CompletableFuture<Void> timer = deadline == null ? new CompletableFuture<>() : time.timer(deadline);
            try {
                run.await(CompletableFuture.anyOf(wake, timer));
            } finally {
                timer.cancel(false);
            }
        }
    }
}
