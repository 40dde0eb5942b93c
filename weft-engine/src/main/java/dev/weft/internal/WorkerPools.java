package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.activity.QueueName;
import dev.weft.queue.QueueInfo;
import dev.weft.queue.QueueOptions;
import dev.weft.queue.TaskQueues;
import dev.weft.store.QueueSettings;
import dev.weft.store.QueueState;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's worker pools, one per queue it serves, with what they share: the keeper of their
 * claims, the listener for work announced by other nodes, and a sweep of tasks whose runs ended.
 * Also the operators' view of every queue ({@link TaskQueues}).
 */
final class WorkerPools implements TaskQueues {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);
    private static final Duration ORPHAN_SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** An idle pool claims at least this often: work announced by another node may not reach it. */
    private static final Duration LONGEST_IDLE_POLL = Duration.ofMillis(500);

    private final WorkflowStore store;
    private final TimeSource time;
    private final Map<String, QueueOptions> served;
    private final Map<String, QueuePool> pools = new ConcurrentHashMap<>();
    private final String node;
    private final TaskExecution execution;
    private final TaskAnnouncer announcer;
    private final ClaimKeeper keeper;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable AutoCloseable listener;
    private @Nullable CompletableFuture<Void> nextSweep;
    private volatile boolean closed;

    /** @param served the queues this node serves from the start, by name; empty for a node that only enqueues */
    WorkerPools(WorkflowStore store, TimeSource time, String node, Map<String, QueueOptions> served, TaskExecution execution,
            TaskAnnouncer announcer) {
        this.store = store;
        this.time = time;
        this.node = node;
        this.served = Map.copyOf(served);
        this.execution = execution;
        this.announcer = announcer;
        this.keeper = new ClaimKeeper(store, time);
    }

    /** Serves the queues configured from the start, writing their cluster-wide settings. */
    void start() {
        served.forEach((queue, options) -> serve(queue, options, true));
    }

    /**
     * Starts serving {@code queue} on this node with {@code options.concurrency()}, unless it does
     * already. With {@code writeSettings}, the options' cluster-wide settings are written first;
     * without, the queue keeps the settings it has (set by another node or an operator).
     */
    void serve(String queue, QueueOptions options, boolean writeSettings) {
        lock.lock();
        try {
            if (closed || pools.containsKey(queue)) {
                return;
            }
            if (writeSettings) {
                store.tasks().configure(queue, clusterSettings(options));
            }
            QueuePool pool = new QueuePool(queue, options.concurrency(), node, store, time, execution, keeper, LONGEST_IDLE_POLL);
            pools.put(queue, pool);
            announcer.workerPool(pool);
            if (pools.size() == 1) {
                // the first pool: what all of them share starts with it
                keeper.start();
                listener = store.tasks().listen(this::wakePool);
                scheduleSweep();
            }
            pool.start();
        } finally {
            lock.unlock();
        }
    }

    private void wakePool(String queue) {
        QueuePool pool = pools.get(queue);
        if (pool != null) {
            pool.wake();
        }
    }

    private void scheduleSweep() {
        if (closed) {
            return;
        }
        nextSweep = OutageTimer.after(ORPHAN_SWEEP_INTERVAL);
        nextSweep.thenRun(() -> Thread.ofVirtual().name("weft-task-sweep").start(() -> {
            try {
                int removed = store.tasks().removeOrphans();
                if (removed > 0) {
                    LOG.info("Removed {} queued tasks of runs that ended", removed);
                }
            } catch (RuntimeException e) {
                LOG.debug("Could not remove the tasks of ended runs; the next sweep will", e);
            }
            scheduleSweep();
        }));
    }

    /**
     * Stops claiming, waits up to {@code grace} for the tasks running here, then signals those
     * still running to stop; their claims lapse and other nodes run them again.
     */
    void close(Duration grace) {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        if (nextSweep != null) {
            nextSweep.cancel(false);
        }
        if (listener != null) {
            try {
                listener.close();
            } catch (Exception e) {
                LOG.debug("Could not stop listening for queued work", e);
            }
        }
        boolean drained = true;
        for (QueuePool pool : pools.values()) {
            drained &= pool.stop(grace);
        }
        if (!drained) {
            keeper.abandonAll("this node is shutting down; the task will run again on another node");
        }
        keeper.stop();
    }

    private static QueueSettings clusterSettings(QueueOptions options) {
        return new QueueSettings(options.maxInFlight(), options.rateLimit(), options.ratePeriod(), options.fair());
    }

    @Override
    public List<QueueInfo> list() {
        Map<String, QueueInfo> all = new LinkedHashMap<>();
        for (QueueState state : store.tasks().queues(time.now())) {
            QueuePool pool = pools.get(state.name());
            QueueSettings settings = state.settings();
            all.put(state.name(), new QueueInfo(state.name(), state.paused(), settings.maxInFlight(), settings.rateLimit(),
                    settings.ratePeriod(), settings.fair(), state.depth(), state.inFlight(), state.oldestWaiting(),
                    state.expiredClaims(), pool != null, pool == null ? 0 : pool.running(), pool == null ? 0 : pool.claimedSoFar()));
        }
        pools.forEach((queue, pool) -> all.putIfAbsent(queue, new QueueInfo(queue, false, null, null, null, false, 0, 0, null, 0,
                true, pool.running(), pool.claimedSoFar())));
        List<QueueInfo> sorted = new ArrayList<>(all.values());
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        return sorted;
    }

    @Override
    public void pause(String queue) {
        store.tasks().setPaused(QueueName.check(queue), true);
    }

    @Override
    public void resume(String queue) {
        store.tasks().setPaused(QueueName.check(queue), false);
        store.tasks().announce(queue);
        QueuePool pool = pools.get(queue);
        if (pool != null) {
            pool.wake();
        }
    }

    @Override
    public void configure(String queue, QueueOptions options) {
        store.tasks().configure(QueueName.check(queue), clusterSettings(options));
        QueuePool pool = pools.get(queue);
        if (pool != null) {
            pool.wake();
        }
    }
}
