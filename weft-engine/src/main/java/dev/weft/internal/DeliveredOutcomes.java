package dev.weft.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Outcomes of a run's queued attempts handed over in memory by a worker pool of the node that
 * drives the run, once committed: the run takes one instead of reading its journal entry again.
 * Only what is durable is handed over, so taking it is the same as reading it.
 */
final class DeliveredOutcomes {

    private record Delivered(int attempt, AttemptOutcome outcome) {
    }

    /** Made at the first hand-over: most runs call no queued activity, and every run has one of these. */
    private final AtomicReference<@Nullable Map<Long, Delivered>> bySeq = new AtomicReference<>();

    void deliver(long seq, int attempt, AttemptOutcome outcome) {
        Map<Long, Delivered> map = bySeq.get();
        if (map == null) {
            bySeq.compareAndSet(null, new ConcurrentHashMap<>());
            map = bySeq.get();
        }
        map.put(seq, new Delivered(attempt, outcome));
    }

    /** The committed outcome of attempt {@code attempt} of step {@code seq}, if one was handed over. */
    Optional<AttemptOutcome> take(long seq, int attempt) {
        Map<Long, Delivered> map = bySeq.get();
        Delivered delivered = map == null ? null : map.remove(seq);
        return delivered != null && delivered.attempt() == attempt ? Optional.of(delivered.outcome()) : Optional.empty();
    }
}
