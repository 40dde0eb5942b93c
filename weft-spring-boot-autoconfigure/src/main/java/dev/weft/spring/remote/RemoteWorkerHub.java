package dev.weft.spring.remote;

import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.queue.RemoteTask;
import dev.weft.queue.TaskBroker;
import dev.weft.worker.protocol.FrameRejected;
import dev.weft.worker.protocol.Frames;
import dev.weft.worker.protocol.Protocol;
import dev.weft.worker.protocol.ServerMessage;
import dev.weft.worker.protocol.WorkerMessage;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * This node's remote workers, of every queue: reads their frames, registers them, hands their
 * results to the engine under each task's claim, and follows their connections. A frame that
 * breaks the protocol is answered with the protocol's error and close code and changes nothing.
 */
public final class RemoteWorkerHub implements AutoCloseable {

    private static final Log LOG = LogFactory.getLog(RemoteWorkerHub.class);

    /** The failure type of an attempt a remote worker reported as failed. */
    public static final String REMOTE_FAILURE_TYPE = "dev.weft.worker.RemoteActivityFailure";

    private static final Duration SHUTDOWN_POLL = Duration.ofMillis(20);
    /**
     * Results written at once: enough for the database to commit many in one flush, few enough to
     * leave the application's connection pool to its runs.
     */
    private static final int CONCURRENT_RESULT_WRITES = 16;

    private final TaskBroker broker;
    private final TimeSource time;
    private final RemoteWorkerSettings settings;
    private final Map<String, QueueDispatcher> dispatchers = new ConcurrentHashMap<>();
    /** Per open socket: its queue, and its worker once registered. */
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("weft-remote-workers").factory());
    private final ClaimRenewal renewal;
    private final ResultWrites writes = new ResultWrites(CONCURRENT_RESULT_WRITES);
    private volatile boolean closing;

    private record Session(String queue, WorkerSocket socket, @Nullable ConnectedWorker worker) {
    }

    public RemoteWorkerHub(TaskBroker broker, TimeSource time, RemoteWorkerSettings settings) {
        this.broker = broker;
        this.time = time;
        this.settings = settings;
        this.renewal = new ClaimRenewal(broker, time, settings, this::allWorkers, this::claimLost, this::heartbeatStale);
        renewal.start();
    }

    /** A socket of {@code queue}'s endpoint opened, its upgrade authenticated already. */
    public void opened(String queue, WorkerSocket socket) {
        if (closing) {
            socket.close(1001, "server shutting down");
            return;
        }
        sessions.put(socket.id(), new Session(queue, socket, null));
    }

    /** A text frame arrived on {@code socket}. */
    public void received(WorkerSocket socket, String text) {
        Session session = sessions.get(socket.id());
        if (session == null) {
            return;
        }
        if (text.length() > settings.maxFrameChars()) {
            refuse(socket, "oversized", Protocol.INVALID_MESSAGE, "The frame is larger than "
                    + settings.maxFrameChars() + " characters", true);
            return;
        }
        WorkerMessage message;
        try {
            message = Frames.readWorker(text);
        } catch (FrameRejected rejected) {
            if (rejected.registration()) {
                refuseRegistration(socket, rejected);
            } else {
                refuse(socket, "frame", rejected.code(), rejected.getMessage(), true);
            }
            return;
        }
        switch (message) {
            case WorkerMessage.Register register -> register(session, register);
            case WorkerMessage.Heartbeat heartbeat -> heartbeat(session, heartbeat);
            case WorkerMessage.TaskResult result -> result(session, result);
        }
    }

    /** The socket closed: its worker's tasks wait for the reconnect grace, then go back to the queue. */
    public void closed(WorkerSocket socket) {
        Session session = sessions.remove(socket.id());
        if (session == null || session.worker() == null) {
            return;
        }
        ConnectedWorker worker = session.worker();
        if (worker.socket() != socket) {
            // replaced by a newer connection of the same worker id
            return;
        }
        QueueDispatcher dispatcher = dispatchers.get(worker.queue());
        if (worker.inFlight() == 0 || settings.reconnectGrace().isZero()) {
            worker.disconnected(null);
            releaseAndForget(dispatcher, worker);
            return;
        }
        ScheduledFuture<?> graceEnd = timers.schedule(() -> {
            if (!worker.isConnected()) {
                releaseAndForget(dispatcher, worker);
            }
        }, settings.reconnectGrace().toMillis(), TimeUnit.MILLISECONDS);
        worker.disconnected(graceEnd);
        LOG.info("Remote worker " + worker.id() + " disconnected with " + worker.inFlight() + " tasks; they go back to queue "
                + worker.queue() + " unless it registers again within " + settings.reconnectGrace().toMillis() + " ms");
    }

    private void releaseAndForget(QueueDispatcher dispatcher, ConnectedWorker worker) {
        List<String> held = worker.retire().stream().map(RemoteTask::operationId).toList();
        dispatcher.remove(worker);
        if (!held.isEmpty()) {
            try {
                broker.release(held);
                LOG.info("Released " + held.size() + " tasks of remote worker " + worker.id() + " to queue " + worker.queue());
            } catch (RuntimeException e) {
                LOG.warn("Could not release the tasks of remote worker " + worker.id() + "; they go back when their claims expire", e);
            }
        }
    }

    private void register(Session session, WorkerMessage.Register register) {
        WorkerSocket socket = session.socket();
        if (session.worker() != null) {
            refuse(socket, "register", Protocol.INVALID_MESSAGE, "This connection registered already", true);
            return;
        }
        if (register.queue() != null && !register.queue().equals(session.queue())) {
            refuseRegistration(socket, "Registered for queue '" + register.queue() + "' on the endpoint of queue '"
                    + session.queue() + "': one queue per connection, the endpoint's");
            return;
        }
        QueueDispatcher dispatcher = dispatchers.computeIfAbsent(session.queue(), queue -> {
            QueueDispatcher created = new QueueDispatcher(queue, broker);
            created.start();
            return created;
        });
        ConnectedWorker worker = dispatcher.worker(register.workerId());
        if (worker != null) {
            WorkerSocket previous = worker.socket();
            worker.reconnected(socket, register, time.now());
            if (previous != null && previous != socket) {
                sessions.remove(previous.id());
                previous.close(1000, "replaced by a new connection of the same worker id");
            }
            LOG.info("Remote worker " + worker.id() + " registered again and keeps its " + worker.inFlight() + " tasks");
        } else {
            worker = new ConnectedWorker(session.queue(), register, socket, time.now());
            LOG.info("Remote worker " + worker.id() + " registered on queue " + session.queue() + " with activities "
                    + register.activities() + " (concurrency " + register.concurrency() + ")");
        }
        sessions.put(socket.id(), new Session(session.queue(), socket, worker));
        socket.send(Frames.write(new ServerMessage.RegisterAck(Protocol.VERSION, register.workerId(), session.queue(),
                register.activities(), register.concurrency())));
        dispatcher.add(worker);
    }

    private void heartbeat(Session session, WorkerMessage.Heartbeat heartbeat) {
        ConnectedWorker worker = registeredWorker(session, "heartbeat");
        if (worker == null) {
            return;
        }
        if (!worker.id().equals(heartbeat.workerId())) {
            refuse(session.socket(), "heartbeat", Protocol.INVALID_MESSAGE, "The heartbeat names worker '" + heartbeat.workerId()
                    + "', but this connection registered '" + worker.id() + "'", true);
            return;
        }
        worker.heartbeat(time.now());
    }

    private void result(Session session, WorkerMessage.TaskResult result) {
        ConnectedWorker worker = registeredWorker(session, "taskResult");
        if (worker == null) {
            return;
        }
        QueueDispatcher dispatcher = dispatchers.get(worker.queue());
        ConnectedWorker holder = dispatcher.holderOf(result.operationId());
        if (holder != null && holder != worker) {
            refuse(session.socket(), "taskResult", Protocol.INVALID_MESSAGE, "Task " + result.operationId()
                    + " is not assigned to worker '" + worker.id() + "'", false);
            return;
        }
        // the worker freed its slot when it sent the result: the dispatcher may fill it while the result is written
        RemoteTask task = worker.unassign(result.operationId());
        if (task != null) {
            // before the write, which wakes the run: its next activity, claimed at once, finds its worker known
            dispatcher.ran(task.runId(), worker.id());
        }
        dispatcher.slotFreed();
        writes.submit(() -> write(session.socket(), worker, dispatcher, result));
    }

    /**
     * Writes a result under its claim; a result the claim no longer takes is refused with a protocol
     * error. A write the database picked as a deadlock victim the store has written again already.
     */
    private void write(WorkerSocket socket, ConnectedWorker worker, QueueDispatcher dispatcher, WorkerMessage.TaskResult result) {
        boolean accepted = false;
        try {
            accepted = writeUnderClaim(dispatcher, result);
        } catch (RuntimeException e) {
            // the result is lost: the claim lapses after its visibility timeout and the task runs again
            LOG.warn("Could not write the result of task " + result.operationId() + " from remote worker " + worker.id(), e);
        }
        if (!accepted && result.status() != WorkerMessage.Status.CANCELLED) {
            refuse(socket, "taskResult", Protocol.INVALID_MESSAGE, "Task " + result.operationId()
                    + " is no longer assigned to worker '" + worker.id() + "' (its claim was lost or released); the result "
                    + "was not adopted", false);
        }
    }

    private boolean writeUnderClaim(QueueDispatcher dispatcher, WorkerMessage.TaskResult result) {
        return switch (result.status()) {
            case COMPLETED -> broker.complete(result.operationId(), result.value() == null ? "null" : result.value().toString());
            case FAILED -> broker.fail(result.operationId(), new FailureInfo(REMOTE_FAILURE_TYPE, result.error(),
                    FailureCategory.APPLICATION, null, null));
            case CANCELLED -> {
                // a worker that gives a task back (it was cancelled, or the worker drains): it runs again, no attempt spent
                broker.release(List.of(result.operationId()));
                dispatcher.wake();
                yield true;
            }
        };
    }

    private @Nullable ConnectedWorker registeredWorker(Session session, String frame) {
        if (session.worker() == null) {
            refuse(session.socket(), frame, Protocol.REGISTRATION_REQUIRED, "Send 'register' before '" + frame + "'", true);
        }
        return session.worker();
    }

    private void refuseRegistration(WorkerSocket socket, FrameRejected rejected) {
        socket.send(Frames.write(new ServerMessage.RegisterError(rejected.code(), rejected.getMessage(), Protocol.SUPPORTED_VERSIONS,
                rejected.requestedVersion())));
        socket.close(Protocol.CLOSE_POLICY_VIOLATION, rejected.code());
    }

    private void refuseRegistration(WorkerSocket socket, String message) {
        socket.send(Frames.write(new ServerMessage.RegisterError(Protocol.INVALID_REGISTRATION, message, Protocol.SUPPORTED_VERSIONS,
                null)));
        socket.close(Protocol.CLOSE_POLICY_VIOLATION, Protocol.INVALID_REGISTRATION);
    }

    /** Answers a refused frame with {@code protocolError}; a frame that broke the protocol also closes the socket with 1002. */
    private void refuse(WorkerSocket socket, String frame, String code, String message, boolean close) {
        LOG.debug("Refused a " + frame + " frame of socket " + socket.id() + ": " + message);
        socket.send(Frames.write(new ServerMessage.ProtocolError(code, message)));
        if (close) {
            socket.close(Protocol.CLOSE_PROTOCOL_ERROR, code);
        }
    }

    private void claimLost(ConnectedWorker worker, String operationId) {
        if (worker.unassign(operationId) != null) {
            WorkerSocket socket = worker.socket();
            if (socket != null) {
                socket.send(Frames.write(new ServerMessage.Cancel(operationId)));
            }
            dispatchers.get(worker.queue()).slotFreed();
        }
    }

    private void heartbeatStale(ConnectedWorker worker) {
        WorkerSocket socket = worker.socket();
        if (socket != null) {
            LOG.warn("Remote worker " + worker.id() + " sent no heartbeat for " + settings.heartbeatTimeout().toMillis()
                    + " ms; closing its connection");
            socket.close(1001, "heartbeat timeout");
            closed(socket);
        }
    }

    private List<ConnectedWorker> allWorkers() {
        List<ConnectedWorker> all = new ArrayList<>();
        dispatchers.values().forEach(dispatcher -> all.addAll(dispatcher.workers()));
        return all;
    }

    /** This node's workers, by id. */
    public List<RemoteWorkerInfo> workers() {
        return allWorkers().stream().map(worker -> RemoteWorkerInfo.of(worker, time.now()))
                .sorted(Comparator.comparing(RemoteWorkerInfo::id)).toList();
    }

    /**
     * Drains a worker of this node (no new task goes to it; it finishes those it has), or lets it take
     * tasks again; empty when no worker of this node has that id.
     */
    public Optional<RemoteWorkerInfo> drain(String workerId, boolean drain) {
        for (ConnectedWorker worker : allWorkers()) {
            if (worker.id().equals(workerId)) {
                worker.draining(drain);
                dispatchers.get(worker.queue()).wake();
                return Optional.of(RemoteWorkerInfo.of(worker, time.now()));
            }
        }
        return Optional.empty();
    }

    /**
     * Sends every worker {@code shutdown}, accepts their results for up to the shutdown timeout, then
     * releases the tasks still out so that other nodes' workers take them.
     */
    @Override
    public void close() {
        closing = true;
        List<ConnectedWorker> all = allWorkers();
        all.forEach(worker -> {
            worker.draining(true);
            WorkerSocket socket = worker.socket();
            if (socket != null) {
                socket.send(Frames.write(new ServerMessage.Shutdown()));
            }
        });
        Instant deadline = time.now().plus(settings.shutdownTimeout());
        while (all.stream().anyMatch(worker -> worker.inFlight() > 0) && time.now().isBefore(deadline)) {
            time.timer(time.now().plus(SHUTDOWN_POLL)).join();
        }
        writes.awaitIdle(Duration.between(time.now(), deadline));
        dispatchers.values().forEach(QueueDispatcher::stop);
        renewal.stop();
        all.forEach(worker -> releaseAndForget(dispatchers.get(worker.queue()), worker));
        sessions.values().forEach(session -> session.socket().close(1001, "server shutting down"));
        sessions.clear();
        timers.shutdownNow();
    }
}
