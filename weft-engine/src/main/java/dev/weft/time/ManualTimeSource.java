package dev.weft.time;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when told to. Timers fire when {@link #advance(Duration)} or
 * {@link #set(Instant)} reaches their due time. For tests of retries, timeouts and sleeps.
 */
public final class ManualTimeSource implements TimeSource {

    private record PendingTimer(Instant due, CompletableFuture<Void> future) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<PendingTimer> pending = new PriorityQueue<>((a, b) -> a.due().compareTo(b.due()));
    private Instant now;

    public ManualTimeSource(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<Void> timer(Instant due) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (!due.isAfter(now)) {
                future.complete(null);
                return future;
            }
            pending.add(new PendingTimer(due, future));
        } finally {
            lock.unlock();
        }
        return future;
    }

    /** Moves the clock forward and fires every timer that has come due. */
    public void advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("cannot move time backwards: " + amount);
        }
        lock.lock();
        try {
            now = now.plus(amount);
        } finally {
            lock.unlock();
        }
        fireDue();
    }

    /** Sets the clock to {@code instant}, which must not be earlier than now, and fires due timers. */
    public void set(Instant instant) {
        advance(Duration.between(now(), instant));
    }

    /** Timers waiting to fire (cancelled ones are not counted): lets a test wait until a run is parked. */
    public int pendingTimers() {
        lock.lock();
        try {
            pending.removeIf(timer -> timer.future().isDone());
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** The earliest due time among the pending timers, if any. */
    public java.util.Optional<Instant> nextDue() {
        lock.lock();
        try {
            pending.removeIf(timer -> timer.future().isDone());
            return java.util.Optional.ofNullable(pending.peek()).map(PendingTimer::due);
        } finally {
            lock.unlock();
        }
    }

    private void fireDue() {
        List<CompletableFuture<Void>> due = new ArrayList<>();
        lock.lock();
        try {
            while (!pending.isEmpty() && !pending.peek().due().isAfter(now)) {
                due.add(pending.poll().future());
            }
        } finally {
            lock.unlock();
        }
        // Completed outside the lock: completion runs waiting code that may set new timers.
        due.forEach(future -> future.complete(null));
    }
}
