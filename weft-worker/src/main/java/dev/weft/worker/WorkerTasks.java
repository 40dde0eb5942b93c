package dev.weft.worker;

import dev.weft.worker.protocol.ServerMessage;
import dev.weft.worker.protocol.WorkerMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tasks a worker runs, each on a virtual thread of its own. A result that cannot be sent (the
 * connection is down) waits and is sent after the next registration: within the server's reconnect
 * grace it is still accepted.
 */
final class WorkerTasks {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerTasks.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Map<String, RemoteActivity> activities;
    private final int concurrency;
    private final Predicate<WorkerMessage> send;
    private final Runnable heartbeat;
    private final Map<String, ActivityContext> running = new ConcurrentHashMap<>();
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

    void start(ServerMessage.Task task) {
        RemoteActivity activity = activities.get(task.activityName());
        if (activity == null) {
            report(WorkerMessage.TaskResult.failed(task.operationId(), "Unknown activity: " + task.activityName()));
            return;
        }
        if (draining || running.size() >= concurrency) {
            // the server sent more than was agreed, or sent it while this worker drains: the task runs again elsewhere
            report(WorkerMessage.TaskResult.cancelled(task.operationId(), "worker is draining or at capacity"));
            return;
        }
        String runId = task.headers() == null ? null : task.headers().get("weft-run-id");
        ActivityContext context = new ActivityContext(task.operationId(), runId, task.activityName(),
                task.attempt() == null ? 1 : task.attempt(), heartbeat);
        if (running.putIfAbsent(task.operationId(), context) != null) {
            return;
        }
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
        running.remove(task.operationId());
        lock.lock();
        try {
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
        }
    }

    /** Takes no new task, waits up to {@code timeout} for the running ones, then cancels those left. */
    void drain(Duration timeout) {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
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
        List.copyOf(running.values()).forEach(ActivityContext::cancel);
        flushPendingResults();
    }

}
