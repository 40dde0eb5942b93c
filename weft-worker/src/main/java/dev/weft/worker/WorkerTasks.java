package dev.weft.worker;

import dev.weft.worker.protocol.ServerMessage;
import dev.weft.worker.protocol.WorkerMessage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SequencedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tasks a worker runs, each on a virtual thread of its own, at most {@code concurrency} at once.
 * A result that cannot be sent (the connection is down) waits and is sent after the next
 * registration: within the server's reconnect grace it is still accepted.
 *
 * <p>A task sent while every slot is taken waits here for one, up to {@code concurrency} of them.
 * That happens after a reconnect to another node while tasks of the earlier connection still run:
 * the new node does not know of them. Giving such a task back instead would have the node claim it
 * again at once, and every claim counts towards the task's limit of claims.
 */
final class WorkerTasks {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerTasks.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Map<String, RemoteActivity> activities;
    private final int concurrency;
    private final Predicate<WorkerMessage> send;
    private final Runnable heartbeat;
    private final Map<String, ActivityContext> running = new ConcurrentHashMap<>();
    /** Tasks for a free slot, oldest first; guarded by {@link #lock}. */
    private final SequencedMap<String, ServerMessage.Task> waiting = new LinkedHashMap<>();
    private final Queue<WorkerMessage.TaskResult> unsent = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean draining;

    WorkerTasks(Map<String, RemoteActivity> activities, int concurrency, Predicate<WorkerMessage> send, Runnable heartbeat) {
        this.activities = activities;
        this.concurrency = concurrency;
        this.send = send;
        this.heartbeat = heartbeat;
    }

    int running() {
        return running.size();
    }

    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    void start(ServerMessage.Task task) {
        if (!activities.containsKey(task.activityName())) {
            report(WorkerMessage.TaskResult.failed(task.operationId(), "Unknown activity: " + task.activityName()));
            return;
        }
        String refusal;
        lock.lock();
        try {
            if (running.containsKey(task.operationId()) || waiting.containsKey(task.operationId())) {
                return;
            }
            if (!draining && running.size() < concurrency) {
                launch(task);
                return;
            }
            if (!draining && waiting.size() < concurrency) {
                waiting.put(task.operationId(), task);
                return;
            }
            // the server sent it while this worker drains, or sent far more than was agreed: it runs elsewhere
            refusal = draining ? "worker is draining" : "worker is at capacity";
        } finally {
            lock.unlock();
        }
        report(WorkerMessage.TaskResult.cancelled(task.operationId(), refusal));
    }

    /** Under {@link #lock}, with a free slot. */
    private void launch(ServerMessage.Task task) {
        String runId = task.headers() == null ? null : task.headers().get("weft-run-id");
        ActivityContext context = new ActivityContext(task.operationId(), runId, task.activityName(),
                task.attempt() == null ? 1 : task.attempt(), heartbeat);
        running.put(task.operationId(), context);
        RemoteActivity activity = activities.get(task.activityName());
        Thread.ofVirtual().name("weft-task-" + task.activityName()).start(() -> run(task, activity, context));
    }

    private void run(ServerMessage.Task task, RemoteActivity activity, ActivityContext context) {
        context.attach(Thread.currentThread());
        WorkerMessage.TaskResult result;
        try {
            JsonNode input = task.input() == null ? MAPPER.nullNode() : task.input();
            Object value = activity.run(input, context);
            result = context.isCancelled() ? WorkerMessage.TaskResult.cancelled(task.operationId(), "cancelled")
                    : WorkerMessage.TaskResult.completed(task.operationId(), MAPPER.valueToTree(value));
        } catch (Exception | Error e) {
            String message = e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            result = context.isCancelled() ? WorkerMessage.TaskResult.cancelled(task.operationId(), message)
                    : WorkerMessage.TaskResult.failed(task.operationId(), message);
        } finally {
            context.attach(null);
            Thread.interrupted();
        }
        report(result);
        lock.lock();
        try {
            running.remove(task.operationId());
            if (!draining && !waiting.isEmpty()) {
                launch(waiting.pollFirstEntry().getValue());
            }
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void report(WorkerMessage.TaskResult result) {
        if (!send.test(result)) {
            unsent.add(result);
        }
    }

    /** Sends the results that waited for a connection. */
    void flushPendingResults() {
        WorkerMessage.TaskResult result;
        while ((result = unsent.poll()) != null) {
            if (!send.test(result)) {
                unsent.add(result);
                return;
            }
        }
    }

    void cancel(String operationId) {
        ActivityContext context = running.get(operationId);
        if (context != null) {
            context.cancel();
            return;
        }
        boolean wasWaiting;
        lock.lock();
        try {
            wasWaiting = waiting.remove(operationId) != null;
        } finally {
            lock.unlock();
        }
        if (wasWaiting) {
            report(WorkerMessage.TaskResult.cancelled(operationId, "cancelled before it started"));
        }
    }

    /**
     * Takes no new task and gives back those waiting for a slot, waits up to {@code timeout} for the
     * running ones, then cancels those left.
     */
    void drain(Duration timeout) {
        List<ServerMessage.Task> givenBack;
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            draining = true;
            givenBack = List.copyOf(waiting.values());
            waiting.clear();
        } finally {
            lock.unlock();
        }
        givenBack.forEach(task -> report(WorkerMessage.TaskResult.cancelled(task.operationId(), "worker is draining")));
        lock.lock();
        try {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                idle.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (!running.isEmpty()) {
            LOG.info("Cancelling {} tasks still running after the drain timeout of {}", running.size(), timeout);
        }
        List.copyOf(running.values()).forEach(ActivityContext::cancel);
        flushPendingResults();
    }
}
