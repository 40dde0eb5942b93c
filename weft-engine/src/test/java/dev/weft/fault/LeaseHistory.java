package dev.weft.fault;

import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest lease expiry the database held for each of some runs while one node owned them, read
 * every few milliseconds on a connection that no fault touches. A lease only ever moves forward
 * while its owner keeps it, and another node can claim the run only after the lease lapsed, so the
 * last value read under that owner is when the owner's lease lapsed.
 */
final class LeaseHistory implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(20);

    private final Map<String, Instant> lastLeaseOfOwner = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean stopped;

    private LeaseHistory(WorkflowStore store, List<String> runIds, String owner) {
        this.poller = Thread.ofVirtual().name("lease-history-" + owner).start(() -> {
            while (!stopped) {
                for (RunRecord run : store.findRuns(runIds).values()) {
                    if (owner.equals(run.owner()) && run.leaseExpiresAt() != null) {
                        lastLeaseOfOwner.merge(run.id(), run.leaseExpiresAt(), (a, b) -> a.isAfter(b) ? a : b);
                    }
                }
                try {
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Starts reading the leases of {@code runIds} held by {@code owner}. */
    static LeaseHistory watch(WorkflowStore store, List<String> runIds, String owner) {
        return new LeaseHistory(store, runIds, owner);
    }

    /** When the owner's lease of {@code runId} ran out, as far as read. */
    Instant lapseOf(String runId) {
        Instant lapse = lastLeaseOfOwner.get(runId);
        if (lapse == null) {
            throw new AssertionError("no lease of " + runId + " was read");
        }
        return lapse;
    }

    @Override
    public void close() {
        stopped = true;
        poller.interrupt();
        try {
            poller.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
