package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.failure.StoreException;
import dev.weft.store.ClaimedTask;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's task claims alive while their activities run: every third of the shortest
 * visibility timeout it extends them all in one round trip. A claim it finds lost (the task was
 * claimed again after an expiry, or its run ended or is being cancelled) fires that activity's
 * cancellation signal; the outcome the activity still returns will be refused.
 */
final class ClaimKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ACTIVITIES);
    private static final Duration SHORTEST_TICK = Duration.ofMillis(50);
    private static final Duration LONGEST_TICK = Duration.ofSeconds(10);

    private record Held(ClaimedTask task, CancellationSignal signal) {
    }

    private final WorkflowStore store;
    private final TimeSource time;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean stopped;
    private Thread thread;

    ClaimKeeper(WorkflowStore store, TimeSource time) {
        this.store = store;
        this.time = time;
    }

    void start() {
        thread = Thread.ofVirtual().name("weft-claim-keeper").start(this::keep);
    }

    void hold(ClaimedTask task, CancellationSignal signal) {
        held.put(task.claimToken(), new Held(task, signal));
        if (held.size() == 1) {
            // the keeper was idle: from now on it ticks
            signalChange();
        }
    }

    void release(ClaimedTask task) {
        held.remove(task.claimToken());
    }

    /** Fires the signals of every activity still running here, and stops extending their claims. */
    void abandonAll(String why) {
        held.values().forEach(claim -> claim.signal().fire(why));
        held.clear();
    }

    void stop() {
        stopped = true;
        signalChange();
        if (thread != null) {
            try {
                thread.join(LONGEST_TICK.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void keep() {
        while (!stopped) {
            awaitTick();
            List<Held> claims = List.copyOf(held.values());
            if (stopped || claims.isEmpty()) {
                continue;
            }
            try {
                Set<String> lost = store.tasks().extend(claims.stream().map(Held::task).toList(), time.now());
                for (String token : lost) {
                    Held claim = held.remove(token);
                    if (claim != null) {
                        ClaimedTask task = claim.task();
                        LOG.info("Lost the claim of activity '{}' (run {}, step {}): its run ended or is cancelled, or the "
                                + "claim expired and another worker took the task; signalling the activity to stop",
                                task.activity(), task.runId(), task.seq());
                        claim.signal().fire("the claim of this task was lost: the workflow ended or is cancelled, or "
                                + "another worker claimed the task after this claim expired");
                    }
                }
            } catch (StoreException e) {
                LOG.warn("Could not extend {} task claims; they expire unless a later extension gets through", claims.size(), e);
            }
        }
    }

    private void awaitTick() {
        lock.lock();
        try {
            while (!stopped && held.isEmpty()) {
                // nothing to keep: wait for a claim
                changed.await(LONGEST_TICK.toMillis(), TimeUnit.MILLISECONDS);
            }
            // a claim is fresh for a whole visibility timeout: the first extension is due a third of it later
            Duration tick = held.values().stream().map(claim -> claim.task().visibilityTimeout().dividedBy(3))
                    .min(Duration::compareTo).orElse(LONGEST_TICK);
            tick = tick.compareTo(SHORTEST_TICK) < 0 ? SHORTEST_TICK : tick.compareTo(LONGEST_TICK) > 0 ? LONGEST_TICK : tick;
            if (!stopped) {
                changed.await(tick.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            stopped = true;
        } finally {
            lock.unlock();
        }
    }

    private void signalChange() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
