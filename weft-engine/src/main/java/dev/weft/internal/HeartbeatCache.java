package dev.weft.internal;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last heartbeat details of each activity step, in this process's memory only: what the next
 * attempt of the same step reads as {@code lastHeartbeatDetails}. Lost on restart, by design.
 */
final class HeartbeatCache {

    private record StepKey(String runId, long seq) {
    }

    private record Details(int attempt, Object value) {
    }

    private final ConcurrentHashMap<StepKey, Details> details = new ConcurrentHashMap<>();

    void record(String runId, long seq, int attempt, Object value) {
        StepKey key = new StepKey(runId, seq);
        // An attempt that timed out may still be running and heartbeating: it must not overwrite a later attempt's.
        details.merge(key, new Details(attempt, value), (old, fresh) -> fresh.attempt() >= old.attempt() ? fresh : old);
    }

    /** Removes and returns what attempt {@code attempt - 1} of the step recorded. */
    Optional<Object> takePrevious(String runId, long seq, int attempt) {
        Details previous = details.remove(new StepKey(runId, seq));
        return previous != null && previous.attempt() == attempt - 1 ? Optional.of(previous.value()) : Optional.empty();
    }

    void forget(String runId, long seq) {
        details.remove(new StepKey(runId, seq));
    }
}
