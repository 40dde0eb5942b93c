package dev.weft.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The cancellation signals of a run's activity attempts in flight. Once the run is stopped, an
 * attempt tracked afterwards is fired at once, so none can slip past the stop.
 */
final class InFlightAttempts {

    private final Set<CancellationSignal> signals = ConcurrentHashMap.newKeySet();
    /** Set before the signals in flight are fired, so an attempt tracked meanwhile is fired too. */
    private volatile @Nullable String stopReason;

    void track(CancellationSignal signal) {
        signals.add(signal);
        String reason = stopReason;
        if (reason != null) {
            signal.fire(reason);
        }
    }

    void untrack(CancellationSignal signal) {
        signals.remove(signal);
    }

    boolean isEmpty() {
        return signals.isEmpty();
    }

    /**
     * Marks the run stopped, releases the run's waits, then fires the signals that were in flight.
     * The waits go first so that no attempt failing from its signal is taken for an ordinary failure
     * (and retried); the signals are taken beforehand because a woken attempt untracks its own.
     */
    void stop(String reason, Runnable releaseWaits) {
        stopReason = reason;
        List<CancellationSignal> inFlight = List.copyOf(signals);
        releaseWaits.run();
        inFlight.forEach(signal -> signal.fire(reason));
    }

    /** Marks the run stopped and fires every signal in flight. */
    void stopAndFire(String reason) {
        stopReason = reason;
        signals.forEach(signal -> signal.fire(reason));
    }
}
