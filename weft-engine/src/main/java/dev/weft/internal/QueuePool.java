package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.failure.StoreException;
import dev.weft.store.ClaimedTask;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's worker pool of one queue: claims as many tasks as it has free slots, in one claim,
 * and runs each on a virtual thread of its own. An idle pool is woken at once by work enqueued on
 * this node or announced by another; without either it polls, more rarely the longer it finds
 * nothing.
 */
final class QueuePool {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ACTIVITIES);
    private static final Duration FIRST_IDLE_POLL = Duration.ofMillis(50);
    private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(1);

    private final String queue;
    private final int concurrency;
    private final String node;
    private final WorkflowStore store;
    private final TimeSource time;
    private final TaskExecution execution;
    private final ClaimKeeper keeper;
    private final Duration longestIdlePoll;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong claimedSoFar = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private boolean woken;
    /**
     * Whether tasks may wait unclaimed: the pool was full, or its last claim took all it asked for.
     * Only then does a task taken at its enqueue wake the pool when it ends; in a plain queue (the
     * only kind whose tasks are taken so) a claim that took less found the queue drained.
     */
    private volatile boolean backlog;
    private volatile boolean stopping;
    private Thread thread;

    QueuePool(String queue, int concurrency, String node, WorkflowStore store, TimeSource time, TaskExecution execution,
            ClaimKeeper keeper, Duration longestIdlePoll) {
        this.queue = queue;
        this.concurrency = concurrency;
        this.node = node;
        this.store = store;
        this.time = time;
        this.execution = execution;
        this.keeper = keeper;
        this.longestIdlePoll = longestIdlePoll;
    }

    String queue() {
        return queue;
    }

    int concurrency() {
        return concurrency;
    }

    int running() {
        return running.get();
    }

    long claimedSoFar() {
        return claimedSoFar.get();
    }

    void start() {
        thread = Thread.ofVirtual().name("weft-queue-" + queue).start(this::claimWhileServing);
    }

    /**
     * Takes a free slot, if there is one, for a task this node is about to enqueue with a claim
     * offered ({@link dev.weft.store.EagerClaim}): the slot is the pool's until {@link #runTaken}
     * or {@link #giveBack}.
     */
    boolean reserve() {
        if (stopping) {
            return false;
        }
        int now = running.get();
        while (now < concurrency) {
            if (running.compareAndSet(now, now + 1)) {
                return true;
            }
            now = running.get();
        }
        return false;
    }

    /** Runs, in a slot {@link #reserve reserved} for it, a task whose claim was taken as it was enqueued. */
    void runTaken(ClaimedTask task) {
        claimedSoFar.incrementAndGet();
        start(task, true);
    }

    /** Gives back a slot {@link #reserve reserved} for a task whose claim was not taken: the task is claimed as any other. */
    void giveBack() {
        running.decrementAndGet();
        taskEnded(false);
    }

    /** Work may be waiting: claim now rather than at the next poll. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void claimWhileServing() {
        Duration idlePoll = FIRST_IDLE_POLL;
        while (!stopping) {
            int free = concurrency - running.get();
            if (free <= 0) {
                // a task that ends wakes the pool
                backlog = true;
                awaitWake(longestIdlePoll);
                continue;
            }
            List<ClaimedTask> claimed;
            try {
                claimed = store.tasks().claim(queue, node, free, time.now());
            } catch (StoreException e) {
                LOG.warn("Could not claim tasks of queue {}; trying again in {} ms", queue, OUTAGE_PAUSE.toMillis(), e);
                awaitWake(OUTAGE_PAUSE);
                continue;
            }
            backlog = claimed.size() >= free;
            if (claimed.isEmpty()) {
                awaitWake(idlePoll);
                idlePoll = idlePoll.multipliedBy(2).compareTo(longestIdlePoll) > 0 ? longestIdlePoll : idlePoll.multipliedBy(2);
                continue;
            }
            idlePoll = FIRST_IDLE_POLL;
            claimedSoFar.addAndGet(claimed.size());
            claimed.forEach(this::runTask);
        }
    }

    private void runTask(ClaimedTask task) {
        running.incrementAndGet();
        start(task, false);
    }

    /**
     * Runs {@code task} on a thread of its own, in a slot already counted as running; {@code eager}
     * when the task was taken at its enqueue rather than claimed.
     */
    private void start(ClaimedTask task, boolean eager) {
        CancellationSignal signal = new CancellationSignal();
        keeper.hold(task, signal);
        Thread.ofVirtual().name("weft-task-" + queue + "-" + task.activity()).start(() -> {
            try {
                execution.run(task, signal);
            } catch (RuntimeException | Error e) {
                LOG.error("Task of activity '{}' (run {}, step {}) failed in the worker itself; its claim will expire and "
                        + "it will be claimed again", task.activity(), task.runId(), task.seq(), e);
            } finally {
                keeper.release(task);
                running.decrementAndGet();
                taskEnded(eager);
            }
        });
    }

    /** A slot freed: the pool claims again, unless the task was taken at its enqueue and nothing waits unclaimed. */
    private void taskEnded(boolean eager) {
        lock.lock();
        try {
            if (!eager || backlog) {
                woken = true;
                wakeUp.signalAll();
            }
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitWake(Duration atMost) {
        lock.lock();
        try {
            if (!woken && !stopping) {
                wakeUp.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops claiming, then waits up to {@code grace} for the tasks running to end; returns whether they all did. */
    boolean stop(Duration grace) {
        stopping = true;
        wake();
        try {
            if (thread != null) {
                thread.join(Duration.ofSeconds(5));
            }
            long deadline = System.nanoTime() + grace.toNanos();
            lock.lock();
            try {
                while (running.get() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    idle.awaitNanos(left);
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
