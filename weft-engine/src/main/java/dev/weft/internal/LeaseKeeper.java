package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.failure.StoreException;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's background duties on one daemon thread, from {@link #start()}: renewing the leases
 * of the runs it drives (in batches), carrying out cancellations and wake-ups requested through
 * other nodes, and adopting runs whose owners' leases lapsed. Leases run on the database's clock,
 * so these passes run on real time, not on the engine's time source.
 */
final class LeaseKeeper implements AutoCloseable {

    /** What the lease keeper asks of the engine that drives the runs. */
    interface LeasedRuns {

        /** The runs this engine drives now: the leases to renew. */
        List<String> drivenRunIds();

        /** Cancels a run this engine drives, whose cancellation was asked for elsewhere. */
        void cancelLocally(String id);

        /** Wakes a run of this engine that another node asked to wake (an async completion). */
        void wake(String id);

        /** Claims and drives runs whose owners' leases lapsed. */
        void adoptLapsed();

        /** Stops driving every run: renewals have failed for a whole lease and others may adopt them. */
        void abandonAll();
    }

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);
    static final int RENEWAL_BATCH = 500;
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(10);

    private final WorkflowStore store;
    private final LeaseSettings settings;
    private final LeasedRuns runs;
    private final Runnable heartbeat;
    /** Its thread is created by the first scheduled pass, in {@link #start()}, not here. */
    private final ScheduledExecutorService scheduler;
    /** When the last successful renewal began: the database set its leases no earlier than this. */
    private volatile long lastRenewalStartNanos = System.nanoTime();
    private volatile boolean renewalFailing;
    /** When the present streak of failed renewals began, for the line that says it is over. */
    private volatile long failingSinceNanos;

    LeaseKeeper(WorkflowStore store, LeaseSettings settings, LeasedRuns runs, Runnable heartbeat) {
        this.store = store;
        this.settings = settings;
        this.runs = runs;
        this.heartbeat = heartbeat;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "weft-lease-" + settings.nodeId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the periodic passes: the node's heartbeat, renewal, cancellations and wake-ups each renewal interval, adoption each adoption interval. */
    void start() {
        long renewMillis = settings.renewInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            guarded("heartbeat of the node", heartbeat);
            renew();
            guarded("polling for cancellations", () -> store.findCancelRequested(settings.nodeId()).forEach(runs::cancelLocally));
            guarded("polling for wake-ups", () -> store.takeWakeRequests(settings.nodeId()).forEach(runs::wake));
        }, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        if (!settings.adoptionInterval().isZero()) {
            long adoptMillis = settings.adoptionInterval().toMillis();
            scheduler.scheduleWithFixedDelay(() -> guarded("adoption of lapsed runs", runs::adoptLapsed), adoptMillis, adoptMillis,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Renews the leases of every run this node drives now. */
    void renew() {
        List<String> ids = runs.drivenRunIds();
        if (ids.isEmpty() && renewalFailing) {
            // Nothing to renew proves nothing about the store: a node that stopped driving its runs
            // because renewals failed stays failing until a renewal of real runs succeeds.
            return;
        }
        long startNanos = System.nanoTime();
        try {
            for (int from = 0; from < ids.size(); from += RENEWAL_BATCH) {
                store.renewLeases(settings.nodeId(), new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + RENEWAL_BATCH))),
                        settings.lease());
            }
            lastRenewalStartNanos = startNanos;
            if (renewalFailing) {
                LOG.info("Lease renewal of node {} works again after {}; it renewed the leases of {} runs", settings.nodeId(),
                        Duration.ofNanos(System.nanoTime() - failingSinceNanos), ids.size());
            }
            renewalFailing = false;
        } catch (StoreException e) {
            if (!renewalFailing) {
                failingSinceNanos = startNanos;
                LOG.warn("Could not renew the leases of {} runs of node {}; retrying every {}", ids.size(), settings.nodeId(),
                        settings.renewInterval(), e);
            } else {
                // One warning per outage with its cause; the repeats only at DEBUG, so an outage does not flood the log.
                LOG.debug("Lease renewal of node {} failed again: {}", settings.nodeId(), e.getMessage());
            }
            renewalFailing = true;
            // The leases the database holds run at least a lease from the start of the last successful
            // renewal. Stop driving the runs while they are still ours, a renewal interval ahead of the
            // lapse, since the next check comes only then; other nodes may adopt them after it.
            if (System.nanoTime() - lastRenewalStartNanos >= settings.lease().minus(settings.renewInterval()).toNanos()) {
                LOG.error("Leases of node {} are about to lapse after {} of failed renewals; it stops driving its {} runs, which "
                        + "other nodes may adopt", settings.nodeId(), Duration.ofNanos(System.nanoTime() - failingSinceNanos), ids.size());
                runs.abandonAll();
            }
        }
    }

    /** Whether the last renewal failed: the runs of this node may be adopted by others soon. */
    boolean isRenewalFailing() {
        return renewalFailing;
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("Background {} failed", what, e);
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
                LOG.warn("A background pass of the lease keeper was still under way after {}", CLOSE_PATIENCE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
