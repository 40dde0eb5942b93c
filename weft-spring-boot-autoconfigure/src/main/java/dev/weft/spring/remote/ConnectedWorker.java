package dev.weft.spring.remote;

import dev.weft.queue.RemoteTask;
import dev.weft.worker.protocol.WorkerMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * A registered worker of one queue on this node: its registration, its socket (none while it is
 * away within the reconnect grace), the tasks assigned to it, and whether it drains.
 */
final class ConnectedWorker {

    private final String queue;
    private final Instant connectedAt;
    private final Map<String, RemoteTask> assignments = new ConcurrentHashMap<>();
    private volatile WorkerMessage.Register registration;
    private volatile @Nullable WorkerSocket socket;
    private volatile Instant lastHeartbeat;
    private volatile boolean draining;
    private volatile @Nullable ScheduledFuture<?> graceEnd;

    ConnectedWorker(String queue, WorkerMessage.Register registration, WorkerSocket socket, Instant now) {
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
    void reconnected(WorkerSocket newSocket, WorkerMessage.Register newRegistration, Instant now) {
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
    void disconnected(@Nullable ScheduledFuture<?> grace) {
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

    int free() {
        return Math.max(0, registration.concurrency() - assignments.size());
    }

    /** Whether new tasks may go to it: connected, not draining, with a free slot. */
    boolean takesTasks() {
        return isConnected() && !draining && free() > 0;
    }

    boolean runs(String activity) {
        return registration.activities().contains(activity);
    }

    void assign(RemoteTask task) {
        assignments.put(task.operationId(), task);
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
