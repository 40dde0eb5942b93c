package dev.weft.internal;

import dev.weft.failure.StoreException;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The engine's background duties on one daemon thread: renewing the leases of the runs it
 * drives (in batches), carrying out cancellations requested through other nodes, and adopting
 * runs whose owners' leases lapsed.
 */
public final class LeaseKeeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeaseKeeper.class.getName());
    static final int RENEWAL_BATCH = 500;

    private final WorkflowStore store;
    private final String nodeId;
    private final Duration lease;
    private final Supplier<List<String>> activeRunIds;
    private final Runnable onLeasesLapsed;
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler;
    private volatile Instant lastRenewal = Instant.now();
    private final Duration renewInterval;
    /** When the last successful renewal began: the database set its leases no earlier than this. */
    private volatile long lastRenewalStartNanos = System.nanoTime();
    private volatile boolean renewalFailing;

    /**
     * @param onCancelRequested called with each run of this node whose cancellation was asked for elsewhere
     * @param adopt called at every adoption interval to claim and drive lapsed runs
     * @param onWakeRequested called with each run of this node that another node asked to wake (an async completion)
     * @param onLeasesLapsed called when renewals have failed for a whole lease: other nodes may
     *     adopt this node's runs now, so it must stop driving them
     */
    public LeaseKeeper(WorkflowStore store, String nodeId, Duration lease, Duration renewInterval, Duration adoptionInterval,
            Supplier<List<String>> activeRunIds, java.util.function.Consumer<String> onCancelRequested, Runnable adopt,
            Runnable onLeasesLapsed, java.util.function.Consumer<String> onWakeRequested) {
        this.store = store;
        this.nodeId = nodeId;
        this.lease = lease;
        this.activeRunIds = activeRunIds;
        this.onLeasesLapsed = onLeasesLapsed;
        this.renewInterval = renewInterval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "weft-lease-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
        long renewMillis = renewInterval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            renew();
            pollCancellations(onCancelRequested);
            guarded("polling for wake-ups", () -> store.takeWakeRequests(nodeId).forEach(onWakeRequested));
        }, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        if (!adoptionInterval.isZero()) {
            long adoptMillis = adoptionInterval.toMillis();
            scheduler.scheduleWithFixedDelay(() -> guarded("adoption of lapsed runs", adopt), adoptMillis, adoptMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Renews the leases of every run this node drives now. */
    public void renew() {
        List<String> ids = activeRunIds.get();
        if (ids.isEmpty() && renewalFailing) {
            // Nothing to renew proves nothing about the store: a node that stopped driving its runs
            // because renewals failed stays failing until a renewal of real runs succeeds.
            return;
        }
        long startNanos = System.nanoTime();
        try {
            for (int from = 0; from < ids.size(); from += RENEWAL_BATCH) {
                store.renewLeases(nodeId, new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + RENEWAL_BATCH))), lease);
            }
            lastRenewal = Instant.now();
            lastRenewalStartNanos = startNanos;
            renewalFailing = false;
        } catch (StoreException e) {
            renewalFailing = true;
            LOG.log(System.Logger.Level.WARNING, "Could not renew the leases of " + ids.size() + " runs", e);
            // The leases the database holds run at least a lease from the start of the last successful
            // renewal. Stop driving the runs while they are still ours, a renewal interval ahead of the
            // lapse, since the next check comes only then; other nodes may adopt them after it.
            if (System.nanoTime() - lastRenewalStartNanos >= lease.minus(renewInterval).toNanos()) {
                LOG.log(System.Logger.Level.WARNING, "Leases of node " + nodeId + " are about to lapse; it stops driving its runs");
                onLeasesLapsed.run();
            }
        }
    }

    /** Whether the last renewal failed: the runs of this node may be adopted by others soon. */
    public boolean isRenewalFailing() {
        return renewalFailing;
    }

    public Instant lastRenewal() {
        return lastRenewal;
    }

    private void pollCancellations(java.util.function.Consumer<String> onCancelRequested) {
        guarded("polling for cancellations", () -> store.findCancelRequested(nodeId).forEach(onCancelRequested));
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Background " + what + " failed", e);
        }
    }

    /**
     * Stops the background work and waits (up to {@link #CLOSE_PATIENCE}) for a pass under way to
     * end, so that whoever closes the store next does not pull it from under a renewal.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(CLOSE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "A background pass of the lease keeper was still under way after " + CLOSE_PATIENCE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
