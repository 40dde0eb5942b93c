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
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's background duties, from {@link #start()}: renewing the leases of the runs it drives
 * (in batches) with the node's heartbeat, on a daemon thread of their own; carrying out
 * cancellations and wake-ups requested through other nodes and adopting runs whose owners' leases
 * lapsed, on a second one. Leases run on the database's clock, so these passes run on real time,
 * not on the engine's time source.
 *
 * <p>Renewals have a thread to themselves so that nothing else waits in front of them: on a slow
 * database behind a small pool an adoption pass or a poll can wait for a connection as long as a
 * renewal does, and renewals queued behind them came too late to keep the leases. A third thread
 * watches the renewals: one that hangs (a partition that swallows packets, a pool with no free
 * connection) never fails, so only a clock that does not depend on its return can tell the node
 * that its leases are about to lapse.
 */
final class LeaseKeeper implements AutoCloseable {

    /** What the lease keeper asks of the engine that drives the runs. */
    interface LeasedRuns {

        /** The runs this engine drives now: the leases to renew. */
        List<String> drivenRunIds();

        /** Cancels a run this engine drives, whose cancellation was asked for elsewhere. */
        void cancelLocally(String id);

        /**
         * Wakes a run if this engine drives or parked it, and cancels it when its row asks: another
         * node announced the wake or left a wake request; nothing else.
         */
        void wakeHere(String id);

        /** Claims and drives runs whose owners' leases lapsed. */
        void adoptLapsed();

        /** Stops driving every run: no renewal got through for almost a whole lease and others may adopt them soon. */
        void abandonAll();

        /** Claims again and drives the runs {@link #abandonAll()} gave up that no other node took: renewals get through again. */
        void takeBackGivenUp();
    }

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);
    static final int RENEWAL_BATCH = 500;
    /** How often a node polls for wake-ups where the database cannot announce them. */
    static final Duration WAKE_POLL = Duration.ofMillis(200);
    private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(10);

    private final WorkflowStore store;
    private final LeaseSettings settings;
    private final LeasedRuns runs;
    private final Runnable heartbeat;
    /** Renews the leases. The threads are created by the first scheduled pass, in {@link #start()}, not here. */
    private final ScheduledExecutorService renewals;
    /** Polls for cancellations and wake-ups, and adopts lapsed runs. */
    private final ScheduledExecutorService polls;
    /** Checks that renewals keep getting through; its own thread, since the renewals' may hang in one. */
    private final ScheduledExecutorService watchdog;
    /** When the last successful renewal began: the database set its leases no earlier than this. */
    private volatile long lastRenewalStartNanos = System.nanoTime();
    private volatile boolean renewalFailing;
    /** When the present streak of failed renewals began, for the line that says it is over. */
    private volatile long failingSinceNanos;
    /** Whether the runs were given up in the present streak: the error is logged once per streak. */
    private final AtomicBoolean gaveUp = new AtomicBoolean();
    /** Hears wake-ups other nodes announce, where the database carries them; {@code null} until started or where it does not. */
    private volatile @Nullable AutoCloseable wakeListener;

    LeaseKeeper(WorkflowStore store, LeaseSettings settings, LeasedRuns runs, Runnable heartbeat) {
        this.store = store;
        this.settings = settings;
        this.runs = runs;
        this.heartbeat = heartbeat;
        this.renewals = singleDaemonThread("weft-lease-" + settings.nodeId());
        this.polls = singleDaemonThread("weft-poll-" + settings.nodeId());
        this.watchdog = singleDaemonThread("weft-lease-watch-" + settings.nodeId());
    }

    private static ScheduledExecutorService singleDaemonThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts the periodic passes: renewal and the node's heartbeat at a fixed rate of one renewal
     * interval (a slow pass delays the next one, never the rate after it), cancellations and wake-ups
     * each renewal interval, adoption each adoption interval.
     */
    void start() {
        long renewMillis = settings.renewInterval().toMillis();
        renewals.scheduleAtFixedRate(() -> {
            // Guarded: a task of a scheduled executor that throws is never run again.
            guarded("lease renewal", this::renew);
            guarded("heartbeat of the node", heartbeat);
        }, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        polls.scheduleWithFixedDelay(() -> {
            guarded("polling for cancellations", () -> store.findCancelRequested(settings.nodeId()).forEach(runs::cancelLocally));
            guarded("polling for wake-ups", this::takeWakeRequests);
            if (!renewalFailing) {
                // after an outage that made the node give its runs up: nobody else may take them (adoption can be off)
                guarded("taking back runs given up", runs::takeBackGivenUp);
            }
        }, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
        // Wake-ups other nodes ask for: announced at once where the database has a channel (the poll
        // above stays as the safety net); elsewhere polled often, a cheap read of one indexed column.
        wakeListener = store.listenForWakes(runs::wakeHere);
        if (wakeListener == null) {
            long fastMillis = Math.min(renewMillis, WAKE_POLL.toMillis());
            polls.scheduleWithFixedDelay(() -> guarded("polling for wake-ups", this::takeWakeRequests), fastMillis, fastMillis,
                    TimeUnit.MILLISECONDS);
        }
        if (!settings.adoptionInterval().isZero()) {
            long adoptMillis = settings.adoptionInterval().toMillis();
            polls.scheduleWithFixedDelay(() -> guarded("adoption of lapsed runs", runs::adoptLapsed), adoptMillis, adoptMillis,
                    TimeUnit.MILLISECONDS);
        }
        // Twice per renewal interval: the runs are given up at most half an interval after the
        // threshold, so still half an interval before the leases lapse.
        long watchMillis = Math.max(1, renewMillis / 2);
        watchdog.scheduleWithFixedDelay(() -> guarded("lease watch", this::stopDrivingIfLeasesLapse), watchMillis, watchMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Renews the leases of every run this node drives now. */
    void renew() {
        // taken before the runs are listed: a run claimed after the listing got its lease after this
        long startNanos = System.nanoTime();
        List<String> ids = runs.drivenRunIds();
        try {
            if (ids.isEmpty() && renewalFailing) {
                // Nothing to renew proves nothing about the store, so a node that gave up its runs asks
                // the database for its time instead; only an answer ends the failure. Without this, the
                // watchdog would give up every run the node adopts before a renewal could get through
                // (the soak saw a run adopted and given up 21 times, once a lease).
                store.databaseTime();
            }
            for (int from = 0; from < ids.size(); from += RENEWAL_BATCH) {
                store.renewLeases(settings.nodeId(), new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + RENEWAL_BATCH))),
                        settings.lease());
            }
            lastRenewalStartNanos = startNanos;
            gaveUp.set(false);
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
            stopDrivingIfLeasesLapse();
        }
    }

    /**
     * Gives up every run this node drives when no renewal has got through for a lease less a
     * renewal interval. The leases the database holds run at least a lease from the start of the last
     * successful renewal, so the runs are given up while they are still ours; other nodes may adopt
     * them once the leases lapse. Called after a failed renewal and by the watchdog, which does not
     * wait for a renewal that hangs; a run this node takes up while its renewals do not get through
     * is given up at the next check too, since nothing would renew its lease.
     */
    void stopDrivingIfLeasesLapse() {
        long sinceRenewal = System.nanoTime() - lastRenewalStartNanos;
        if (sinceRenewal < settings.lease().minus(settings.renewInterval()).toNanos()) {
            return;
        }
        List<String> ids = runs.drivenRunIds();
        if (ids.isEmpty()) {
            return;
        }
        if (!renewalFailing) {
            // The renewal under way hangs rather than fails: this is the first sign of trouble.
            failingSinceNanos = lastRenewalStartNanos;
            renewalFailing = true;
        }
        if (gaveUp.compareAndSet(false, true)) {
            LOG.error("Leases of node {} are about to lapse: no renewal got through for {}; it stops driving its {} runs, which "
                    + "other nodes may adopt", settings.nodeId(), Duration.ofNanos(sinceRenewal), ids.size());
        } else {
            LOG.debug("Node {} stops driving {} more runs: its renewals still do not get through", settings.nodeId(), ids.size());
        }
        runs.abandonAll();
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
     * Stops the background work and waits (up to {@link #CLOSE_PATIENCE} in all) for the passes under
     * way to end, so that whoever closes the store next does not pull it from under a renewal.
     */
    private void takeWakeRequests() {
        store.takeWakeRequests(settings.nodeId()).forEach(runs::wakeHere);
    }

    @Override
    public void close() {
        AutoCloseable listener = wakeListener;
        if (listener != null) {
            guarded("closing the wake listener", () -> {
                try {
                    listener.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        List<ScheduledExecutorService> threads = List.of(watchdog, polls, renewals);
        threads.forEach(ScheduledExecutorService::shutdownNow);
        long deadline = System.nanoTime() + CLOSE_PATIENCE.toNanos();
        try {
            for (ScheduledExecutorService thread : threads) {
                if (!thread.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    LOG.warn("A background pass of the lease keeper was still under way after {}", CLOSE_PATIENCE);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
