package dev.weft.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Outcomes of a run's queued attempts handed over in memory by a worker pool of the node that
 * drives the run, once committed: the run takes one instead of reading its journal entry again.
 * Only what is durable is handed over, so taking it is the same as reading it.
 */
final class DeliveredOutcomes {

    private record Delivered(int attempt, AttemptOutcome outcome) {
    }

    private final Map<Long, Delivered> bySeq = new ConcurrentHashMap<>();

    void deliver(long seq, int attempt, AttemptOutcome outcome) {
        bySeq.put(seq, new Delivered(attempt, outcome));
    }

    /** The committed outcome of attempt {@code attempt} of step {@code seq}, if one was handed over. */
    Optional<AttemptOutcome> take(long seq, int attempt) {
        Delivered delivered = bySeq.remove(seq);
        return delivered != null && delivered.attempt() == attempt ? Optional.of(delivered.outcome()) : Optional.empty();
    }
}
