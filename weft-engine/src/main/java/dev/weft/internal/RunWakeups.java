package dev.weft.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How one run hears that something it waits for changed in the store. Each wait takes the current
 * wake signal before it looks at what it waits for; a wake-up completes that signal and puts a
 * fresh one in its place, so a change that lands after the look is never missed. The committed
 * outcome of a queued attempt that this node's pool ran comes with its wake-up, so that the run
 * need not read its journal entry again.
 */
final class RunWakeups {

    private final AtomicReference<CompletableFuture<Void>> signal = new AtomicReference<>(new CompletableFuture<>());
    private final DeliveredOutcomes delivered = new DeliveredOutcomes();

    /**
     * Tells the run that something it may wait for changed in the store (an async completion):
     * every wait on the current wake signal re-reads what it waits for.
     */
    void wake() {
        signal.getAndSet(new CompletableFuture<>()).complete(null);
    }

    /** Hands over the committed outcome of a queued attempt, run by this node's pool, and wakes the run. */
    void deliver(long seq, int attempt, AttemptOutcome outcome) {
        delivered.deliver(seq, attempt, outcome);
        wake();
    }

    /** Outcomes handed over by {@link #deliver}. */
    DeliveredOutcomes delivered() {
        return delivered;
    }

    /** The signal the next {@link #wake()} completes. */
    CompletableFuture<Void> signal() {
        return signal.get();
    }
}
