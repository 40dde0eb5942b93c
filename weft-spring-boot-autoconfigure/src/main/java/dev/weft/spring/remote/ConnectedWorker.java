package dev.weft.spring.remote;

import dev.weft.queue.RemoteTask;
import dev.weft.worker.protocol.WorkerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A registered worker of one queue on this node: its registration, its socket (none while it is
 * away within the reconnect grace), the tasks assigned to it, the slots reserved for tasks being
 * enqueued for it, and whether it drains.
 *
 * <p>Slots are taken under the worker's monitor, by the dispatcher's claims and by reservations on
 * the enqueuing threads alike, so that together they never exceed its concurrency. A task handed to
 * a reserved slot is refused once the socket closed or the worker was retired, under the same
 * monitor as those changes: it is then either in the assignments the disconnect reads, or refused.
 */
final class ConnectedWorker {

    /** How long a reservation waits for a claim of the dispatcher that holds the slots: a query, unless the database is slow. */
    private static final Duration CLAIM_WAIT = Duration.ofMillis(50);

    private final Duration claimWait;
    private final String queue;
    private final Instant connectedAt;
    private final Map<String, RemoteTask> assignments = new ConcurrentHashMap<>();
    private volatile WorkerMessage.Register registration;
    private volatile @Nullable WorkerSocket socket;
    private volatile Instant lastHeartbeat;
    private volatile boolean draining;
    private volatile @Nullable ScheduledFuture<?> graceEnd;
    /** Slots reserved for tasks being enqueued for this worker or being claimed by its dispatcher, not yet filled or given back. */
    private volatile int reserved;
    /** Whether a claim of the dispatcher holds the free slots now. */
    private boolean claiming;
    /** Released and forgotten by its dispatcher: it takes no task any more. */
    private boolean retired;

    ConnectedWorker(String queue, WorkerMessage.Register registration, WorkerSocket socket, Instant now) {
        this(queue, registration, socket, now, CLAIM_WAIT);
    }

    /** With how long a reservation waits for a claim that holds the slots at most. */
    ConnectedWorker(String queue, WorkerMessage.Register registration, WorkerSocket socket, Instant now, Duration claimWait) {
        this.claimWait = claimWait;
        this.queue = queue;
        this.registration = registration;
        this.socket = socket;
        this.connectedAt = now;
        this.lastHeartbeat = now;
    }

    String id() {
        return registration.workerId();
    }

    String queue() {
        return queue;
    }

    WorkerMessage.Register registration() {
        return registration;
    }

    @Nullable WorkerSocket socket() {
        return socket;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    void heartbeat(Instant now) {
        lastHeartbeat = now;
    }

    /** The same worker id registered again, on a new socket: it keeps its tasks. */
    synchronized void reconnected(WorkerSocket newSocket, WorkerMessage.Register newRegistration, Instant now) {
        ScheduledFuture<?> grace = graceEnd;
        if (grace != null) {
            grace.cancel(false);
        }
        graceEnd = null;
        registration = newRegistration;
        socket = newSocket;
        lastHeartbeat = now;
    }

    /** The socket closed: the worker is away until {@code grace} ends or it registers again. */
    synchronized void disconnected(@Nullable ScheduledFuture<?> grace) {
        socket = null;
        graceEnd = grace;
    }

    boolean isConnected() {
        return socket != null;
    }

    boolean isDraining() {
        return draining;
    }

    void draining(boolean draining) {
        this.draining = draining;
    }

    int inFlight() {
        return assignments.size();
    }

    /** Tasks assigned and slots reserved: what routing weighs. */
    int load() {
        return assignments.size() + reserved;
    }

    /** Slots without a task, reserved ones included: what the worker reports (a reservation lasts a commit or a claim). */
    int idleSlots() {
        return Math.max(0, registration.concurrency() - assignments.size());
    }

    /** Slots neither assigned nor reserved: what a claim or a reservation may take. */
    int free() {
        return Math.max(0, registration.concurrency() - assignments.size() - reserved);
    }

    /** Whether new tasks may go to it: connected, not draining, with a free slot. */
    boolean takesTasks() {
        return isConnected() && !draining && free() > 0;
    }

    boolean runs(String activity) {
        return registration.activities().contains(activity);
    }

    /**
     * Reserves a slot for a task about to be enqueued, if the worker takes tasks; returns whether it
     * did. While a claim of the dispatcher holds the free slots (one query), it waits for the claim,
     * up to a bound: the slots the claim leaves are free again, and a busy queue's tasks, which wait
     * in the queue, went first.
     */
    synchronized boolean reserve() {
        long deadline = System.nanoTime() + claimWait.toNanos();
        try {
            while (claiming) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (retired || !takesTasks()) {
            return false;
        }
        reserved++;
        return true;
    }

    /**
     * Assigns a task claimed for a reserved slot, unless the worker's socket closed or it was retired
     * meanwhile (the slot is spent either way); returns whether it did. A worker that drains since
     * keeps it: the slot was reserved before.
     */
    synchronized boolean assignReserved(RemoteTask task) {
        reserved--;
        if (retired || socket == null) {
            return false;
        }
        assignments.put(task.operationId(), task);
        return true;
    }

    /**
     * Reserves every free slot if the worker takes tasks, for a claim of its dispatcher; returns how
     * many. The claim ends with {@link #claimed}.
     */
    synchronized int reserveFree() {
        if (retired || !takesTasks()) {
            return 0;
        }
        int slots = free();
        reserved += slots;
        claiming = true;
        return slots;
    }

    /** The dispatcher's claim is over: {@code unused} of the slots it reserved got no task. */
    synchronized void claimed(int unused) {
        reserved -= unused;
        claiming = false;
        notifyAll();
    }

    /** Frees a {@link #reserve reserved} slot whose task was not claimed for it. */
    synchronized void giveBack() {
        reserved--;
    }

    /** Takes no task any more, and gives up those it holds: returns them, for their claims to be released. */
    synchronized List<RemoteTask> retire() {
        retired = true;
        List<RemoteTask> held = List.copyOf(assignments.values());
        held.forEach(task -> assignments.remove(task.operationId()));
        return held;
    }

    @Nullable RemoteTask unassign(String operationId) {
        return assignments.remove(operationId);
    }

    boolean holds(String operationId) {
        return assignments.containsKey(operationId);
    }

    List<RemoteTask> assignments() {
        return List.copyOf(assignments.values());
    }

    /** upstream's health of a worker: active, draining with tasks in hand, or drained */
    String health() {
        return !draining ? "active" : assignments.isEmpty() ? "drained" : "draining";
    }
}
