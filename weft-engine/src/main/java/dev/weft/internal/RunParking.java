package dev.weft.internal;

import dev.weft.store.Checkpoint;
import dev.weft.store.JournalEntry;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Whether one run gives up its thread at a long wait, and the giving up: the wait's entries are
 * written with the time to wake, and the workflow thread unwinds. Only a run with nothing else in
 * flight parks (an attempt or a branch would be lost with the thread), and the wake signal it
 * parked on is kept, so that a wake-up landing while it parks is not lost either.
 */
final class RunParking {

    private final RunExecution run;
    private final RunCheckpoints checkpoints;
    private final RunWaits waits;
    private final InFlightAttempts inFlight;
    private final TimeSource time;
    private final Duration parkAfter;
    private final @Nullable Instant deadline;
    /** Branches of parallel groups still running: a run cannot be parked while any is. */
    private final AtomicInteger openBranches = new AtomicInteger();
    private volatile @Nullable CompletableFuture<Void> parkingWake;

    /**
     * @param parkAfter waits at least this long park the run
     * @param deadline when the run times out, or {@code null}: a parked run is taken up by then
     */
    RunParking(RunExecution run, RunCheckpoints checkpoints, RunWaits waits, InFlightAttempts inFlight, TimeSource time,
            Duration parkAfter, @Nullable Instant deadline) {
        this.run = run;
        this.checkpoints = checkpoints;
        this.waits = waits;
        this.inFlight = inFlight;
        this.time = time;
        this.parkAfter = parkAfter;
        this.deadline = deadline;
    }

    /**
     * Whether a wait until {@code wakeAt} may give the run up: the wait is long enough, and nothing
     * else of the run is in flight (an attempt, a branch) that would be lost with the thread.
     */
    boolean mayPark(Instant wakeAt) {
        Instant now = time.now();
        // A wait already due is never parked: its timer would fire at once and the replay park it again.
        return wakeAt.isAfter(now) && openBranches.get() == 0 && inFlight.isEmpty() && !run.isDraining() && !waits.isAbandoned()
                && !waits.isCancelRequested() && !wakeAt.isBefore(now.plus(parkAfter));
    }

    /** A branch of a parallel group started running on its own thread. */
    void branchOpened() {
        openBranches.incrementAndGet();
    }

    /** A branch of a parallel group ended. */
    void branchClosed() {
        openBranches.decrementAndGet();
    }

    /**
     * Writes {@code entries}, gives the run up until {@code wakeAt} (or a signal), and unwinds the
     * workflow thread.
     *
     * @param wake the wake signal taken before the run last looked at what it waits for: a wake-up
     *     that lands while the run is parking completes it, and the engine takes the run up at once
     */
    void park(List<JournalEntry> entries, Instant wakeAt, CompletableFuture<Void> wake) {
        parkingWake = wake;
        if (deadline != null && deadline.isBefore(wakeAt)) {
            // A parked run must be taken up in time to end at its deadline.
            wakeAt = deadline;
        }
        run.throwIfReadOnly();
        checkpoints.write(Checkpoint.parking(run.runId(), run.epoch(), entries, wakeAt));
        throw new RunParked(wakeAt);
    }

    /** Whether a wake-up arrived after the run last looked, so that parking it may have missed it. */
    boolean wokenWhileParking() {
        CompletableFuture<Void> wake = parkingWake;
        return wake != null && wake.isDone();
    }
}
