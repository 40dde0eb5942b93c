package dev.weft.spring.remote;

import dev.weft.queue.EagerTaker;
import dev.weft.queue.RemoteTask;
import dev.weft.queue.TaskBroker;
import dev.weft.worker.protocol.Frames;
import dev.weft.worker.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Claims one queue's tasks for the workers connected to this node and routes each
 * ({@link WorkerRouting}): to the worker that ran the run's previous activity when it can take it
 * (sticky), else to the least loaded capable worker. It claims only as many tasks as the workers
 * have free slots, and only of the activities they registered; a task no worker can take after all
 * goes back at once.
 *
 * <p>It also takes tasks at their enqueue on this node ({@link EagerTaker}): a slot is reserved by
 * the same routing, the task is written already claimed for it, and sent on the enqueuing thread
 * once committed, without a claim of its own. A worker whose socket closed meanwhile does not get
 * it: the claim is released at once and the task is claimed as any other. So is a task, claimed or
 * taken, whose send to its worker's socket failed.
 */
final class QueueDispatcher {

    private static final Log LOG = LogFactory.getLog(QueueDispatcher.class);
    private static final Duration FIRST_IDLE_POLL = Duration.ofMillis(10);
    private static final Duration LONGEST_IDLE_POLL = Duration.ofMillis(500);
    private static final Duration OUTAGE_PAUSE = Duration.ofSeconds(1);

    private final String queue;
    private final TaskBroker broker;
    private final Map<String, ConnectedWorker> workers = new ConcurrentHashMap<>();
    private final WorkerRouting routing = new WorkerRouting(workers);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean woken;
    /**
     * Counts the signs that unclaimed work may wait: work announced, a task given back, capacity
     * changed. A freed slot starts a claim only if a sign came after the last pass that found the
     * queue drained: with tasks taken at their enqueue, a claim per finished task would mostly find
     * nothing, and hold the workers' slots from the next enqueue while it looked.
     */
    private final AtomicLong workSigns = new AtomicLong(1);
    /** {@link #workSigns} as of the start of the last pass that claimed fewer tasks than it asked for. */
    private final AtomicLong drainedAsOf = new AtomicLong();
    private volatile boolean stopped;
    private @Nullable AutoCloseable workWatch;
    private @Nullable AutoCloseable eagerTaking;
    private @Nullable Thread thread;

    QueueDispatcher(String queue, TaskBroker broker) {
        this.queue = queue;
        this.broker = broker;
    }

    void start() {
        workWatch = broker.onWork(queue, this::wake);
        eagerTaking = broker.takeEagerly(queue, this::reserve);
        thread = Thread.ofVirtual().name("weft-remote-dispatch-" + queue).start(this::dispatchWhileOpen);
    }

    @Nullable ConnectedWorker worker(String workerId) {
        return workers.get(workerId);
    }

    Collection<ConnectedWorker> workers() {
        return workers.values();
    }

    void add(ConnectedWorker worker) {
        workers.put(worker.id(), worker);
        wake();
    }

    void remove(ConnectedWorker worker) {
        workers.remove(worker.id(), worker);
    }

    /** The worker on this node that holds {@code operationId}, if any. */
    @Nullable ConnectedWorker holderOf(String operationId) {
        for (ConnectedWorker worker : workers.values()) {
            if (worker.holds(operationId)) {
                return worker;
            }
        }
        return null;
    }

    /** Remembers who ran a run's activity, for the run's next one. */
    void ran(String runId, String workerId) {
        routing.ran(runId, workerId);
    }

    /** Capacity may have freed up or work may wait: dispatch now rather than at the next poll. */
    void wake() {
        workSigns.incrementAndGet();
        signal();
    }

    /**
     * A worker's slot was freed (a result came, a claim was lost): dispatch now if work may wait
     * unclaimed, else leave the slot to the next task enqueued or to the idle poll.
     */
    void slotFreed() {
        if (workMayWait()) {
            signal();
        }
    }

    /** Whether work may wait unclaimed: a sign of it came after the last claim that found the queue drained. */
    boolean workMayWait() {
        return workSigns.get() > drainedAsOf.get();
    }

    private void markDrained(long signs) {
        drainedAsOf.accumulateAndGet(signs, Math::max);
    }

    private void signal() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void dispatchWhileOpen() {
        Duration idlePoll = FIRST_IDLE_POLL;
        while (!stopped) {
            Pass pass;
            try {
                pass = dispatchOnce();
            } catch (RuntimeException e) {
                LOG.warn("Could not claim tasks of queue " + queue + " for remote workers; trying again in "
                        + OUTAGE_PAUSE.toMillis() + " ms", e);
                awaitWake(OUTAGE_PAUSE);
                continue;
            }
            if (pass.sent() > 0) {
                idlePoll = FIRST_IDLE_POLL;
            }
            if (pass.filledEverySlot()) {
                // the queue may hold more: claim again at once (without a query while no slot is free)
                continue;
            }
            // slots are left free: nothing more to claim until new work or a freed slot wakes this, or the poll
            awaitWake(idlePoll);
            if (pass.sent() == 0) {
                idlePoll = idlePoll.multipliedBy(2).compareTo(LONGEST_IDLE_POLL) > 0 ? LONGEST_IDLE_POLL : idlePoll.multipliedBy(2);
            }
        }
    }

    /**
     * What one pass did: how many tasks went out, and whether every free slot got one. When fewer went
     * out, the queue had no more, or none that a worker with a free slot runs: claiming again at once
     * would find the same.
     */
    record Pass(int sent, boolean filledEverySlot) {
    }

    /**
     * One claim for every free slot of the connected workers. The slots are held for the pass: a task
     * enqueued meanwhile waits for the claim before it is offered a slot, rather than take one a task
     * claimed now was counted for (that task would be released, and the newer one sent first).
     */
    Pass dispatchOnce() {
        long signsBefore = workSigns.get();
        Map<ConnectedWorker, Integer> held = new LinkedHashMap<>();
        for (ConnectedWorker worker : workers.values()) {
            int slots = worker.reserveFree();
            if (slots > 0) {
                held.put(worker, slots);
            }
        }
        int free = held.values().stream().mapToInt(Integer::intValue).sum();
        if (free == 0) {
            return new Pass(0, false);
        }
        try {
            Set<String> activities = new TreeSet<>();
            held.keySet().forEach(worker -> activities.addAll(worker.registration().activities()));
            List<RemoteTask> claimed = broker.claim(queue, free, activities);
            List<String> unroutable = new ArrayList<>();
            int sent = 0;
            for (RemoteTask task : claimed) {
                ConnectedWorker worker = routing.firstTaking(held.keySet(), task.runId(), task.activity(), ConnectedWorker::inFlight,
                        candidate -> assignHeld(held, candidate, task));
                if (worker == null) {
                    unroutable.add(task.operationId());
                    continue;
                }
                if (send(worker, task)) {
                    sent++;
                }
            }
            if (!unroutable.isEmpty()) {
                broker.release(unroutable);
            }
            if (claimed.size() < free) {
                // the queue had no more for these workers, as of the signs counted before the claim
                markDrained(signsBefore);
            }
            return new Pass(sent, sent >= free);
        } finally {
            held.forEach(ConnectedWorker::claimed);
        }
    }

    /** Assigns {@code task} to one of the slots this pass holds of {@code worker}, if any is left. */
    private static boolean assignHeld(Map<ConnectedWorker, Integer> held, ConnectedWorker worker, RemoteTask task) {
        int slots = held.get(worker);
        if (slots == 0) {
            return false;
        }
        held.put(worker, slots - 1);
        return worker.assignReserved(task);
    }

    /**
     * Sends a task assigned to {@code worker}; returns whether its socket took the frame. A task whose
     * send failed is not the worker's: the worker never got it, and no frame of the protocol would tell
     * (a registration does not list the tasks a worker runs). Left assigned, a registration of the same
     * worker id within its reconnect grace would keep it, and the renewal extend its claim, for ever.
     * So it is unassigned and its claim released at once, for any worker to claim it again.
     */
    private boolean send(ConnectedWorker worker, RemoteTask task) {
        WorkerSocket socket = worker.socket();
        if (socket != null && socket.send(taskFrame(task))) {
            return true;
        }
        // the disconnect may have taken the task already (its worker retired): then it releases the claim itself
        if (worker.unassign(task.operationId()) != null) {
            LOG.debug("Could not send task " + task.operationId() + " to remote worker " + worker.id() + "; releasing it");
            release(task.operationId());
        }
        return false;
    }

    private static String taskFrame(RemoteTask task) {
        return Frames.write(new ServerMessage.Task(task.operationId(), task.activity(), Frames.json(task.inputJson()), task.attempt(),
                Map.of("weft-run-id", task.runId(), "weft-step", Long.toString(task.seq()))));
    }

    private void release(String operationId) {
        try {
            broker.release(List.of(operationId));
        } catch (RuntimeException e) {
            LOG.warn("Could not release task " + operationId + "; it goes back when its claim expires", e);
        }
    }

    /**
     * Reserves a slot for a task of {@code runId} about to be enqueued on this node, routed as a
     * claimed task would be; {@code null} when no worker that runs {@code activity} has one.
     */
    EagerTaker.@Nullable Slot reserve(String runId, String activity) {
        if (stopped) {
            return null;
        }
        ConnectedWorker worker = routing.firstTaking(workers.values(), runId, activity, ConnectedWorker::load, ConnectedWorker::reserve);
        return worker == null ? null : new ReservedSlot(worker);
    }

    /** A worker's slot reserved for a task being enqueued. */
    private final class ReservedSlot implements EagerTaker.Slot {

        private final ConnectedWorker worker;
        /** Whether the slot was filled or given back: a hand-over that failed midway is followed by a give-back. */
        private final AtomicBoolean settled = new AtomicBoolean();

        ReservedSlot(ConnectedWorker worker) {
            this.worker = worker;
        }

        @Override
        public void taken(RemoteTask task) {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            if (worker.assignReserved(task)) {
                if (!send(worker, task)) {
                    wake();
                }
                return;
            }
            // the worker went away between the reservation and the commit: nobody would run or extend the claim
            LOG.debug("Remote worker " + worker.id() + " left before task " + task.operationId() + " reached it; releasing it");
            release(task.operationId());
            wake();
        }

        @Override
        public void giveBack() {
            if (settled.compareAndSet(false, true)) {
                worker.giveBack();
            }
        }
    }

    private void awaitWake(Duration atMost) {
        lock.lock();
        try {
            if (!woken && !stopped) {
                wakeUp.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            stopped = true;
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        stopped = true;
        wake();
        for (AutoCloseable watch : new AutoCloseable[] { eagerTaking, workWatch }) {
            if (watch != null) {
                try {
                    watch.close();
                } catch (Exception e) {
                    LOG.debug("Could not stop watching queue " + queue, e);
                }
            }
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
