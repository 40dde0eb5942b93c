package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.activity.QueueName;
import dev.weft.event.EngineEvent;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.StoreException;
import dev.weft.queue.EagerTaker;
import dev.weft.queue.RemoteTask;
import dev.weft.queue.TaskBroker;
import dev.weft.store.ClaimedTask;
import dev.weft.store.TaskOutcome;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of remote workers: claims under this node's name with an activity filter,
 * extensions and releases of those claims, and outcomes written under a claim's token (with those
 * of this node's own pools, in shared transactions), then handed to the run if this node drives
 * it, or its run woken wherever it is driven.
 */
final class RemoteTaskBroker implements TaskBroker {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ACTIVITIES);

    private final WorkflowStore store;
    private final TimeSource time;
    private final String node;
    private final EventBus events;
    private final TaskAnnouncer announcer;
    private final OutcomeWriter writer;
    private final TaskExecution.OutcomeReceiver receiver;
    /**
     * The claims this broker made that are not settled yet, by token: an outcome for one needs no
     * read of it first. A worker that reconnected to another node sends its outcome there, which
     * reads the claim instead. Every write is fenced by the token in the database all the same.
     */
    private final Map<String, ClaimedTask> claimedHere = new ConcurrentHashMap<>();
    private final Map<String, List<Runnable>> watchers = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable AutoCloseable listener;

    RemoteTaskBroker(WorkflowStore store, TimeSource time, String node, EventBus events, TaskAnnouncer announcer,
            OutcomeWriter writer, TaskExecution.OutcomeReceiver receiver) {
        this.store = store;
        this.time = time;
        this.node = node;
        this.events = events;
        this.announcer = announcer;
        this.writer = writer;
        this.receiver = receiver;
    }

    @Override
    public List<RemoteTask> claim(String queue, int max, Collection<String> activities) {
        List<ClaimedTask> claimed = store.tasks().claim(QueueName.check(queue), node, max, time.now(), Set.copyOf(activities));
        List<RemoteTask> tasks = new ArrayList<>(claimed.size());
        for (ClaimedTask task : claimed) {
            if (task.claims() > TaskExecution.MAX_CLAIMS) {
                write(TaskExecution.exhausted(task));
                continue;
            }
            events.emit(new EngineEvent.ActivityStarted(time.now(), task.runId(), task.seq(), task.activity(), task.attempt()));
            claimedHere.put(task.claimToken(), task);
            tasks.add(remote(task));
        }
        return tasks;
    }

    @Override
    public boolean complete(String operationId, @Nullable String resultJson) {
        return claimed(operationId).map(task -> write(TaskOutcome.completed(task, resultJson))).orElse(false);
    }

    @Override
    public boolean fail(String operationId, FailureInfo failure) {
        return claimed(operationId).map(task -> write(TaskOutcome.failed(task, failure))).orElse(false);
    }

    private Optional<ClaimedTask> claimed(String operationId) {
        ClaimedTask here = claimedHere.remove(operationId);
        // a released or re-claimed task no longer carries the token: nothing is found, nothing is written
        return here != null ? Optional.of(here) : store.tasks().claimed(operationId);
    }

    private boolean write(TaskOutcome outcome) {
        ClaimedTask task = outcome.task();
        if (!writer.write(outcome)) {
            LOG.info("Refused a remote outcome of activity '{}' (run {}, step {}): its claim is no longer held",
                    task.activity(), task.runId(), task.seq());
            return false;
        }
        receiver.committed(outcome);
        return true;
    }

    @Override
    public Set<String> extend(Collection<RemoteTask> tasks) {
        List<ClaimedTask> claims = tasks.stream().map(task -> new ClaimedTask(task.runId(), task.seq(), task.attempt(), task.queue(),
                task.activity(), task.inputJson(), task.operationId(), task.claims(), task.visibilityTimeout(), time.now(),
                time.now())).toList();
        Set<String> lost = store.tasks().extend(claims, time.now());
        // a claim lost is not this broker's to settle any more
        lost.forEach(claimedHere::remove);
        return lost;
    }

    @Override
    public void release(Collection<String> operationIds) {
        operationIds.forEach(claimedHere::remove);
        store.tasks().release(operationIds, time.now());
    }

    @Override
    public AutoCloseable onWork(String queue, Runnable wake) {
        String name = QueueName.check(queue);
        announcer.localPool(name, wake);
        watchers.computeIfAbsent(name, key -> new CopyOnWriteArrayList<>()).add(wake);
        lock.lock();
        try {
            if (listener == null) {
                listener = store.tasks().listen(this::announced);
            }
        } finally {
            lock.unlock();
        }
        return () -> {
            announcer.forget(name, wake);
            watchers.getOrDefault(name, List.of()).remove(wake);
        };
    }

    @Override
    public AutoCloseable takeEagerly(String queue, EagerTaker taker) {
        String name = QueueName.check(queue);
        declare(name);
        TaskAnnouncer.Reserver reserver = task -> {
            EagerTaker.Slot slot = taker.reserve(task.runId(), task.activity());
            return slot == null ? null : new TaskAnnouncer.Reservation(claimed -> handOver(claimed, slot), slot::giveBack);
        };
        announcer.remoteTaker(name, reserver);
        return () -> announcer.forgetRemoteTaker(name, reserver);
    }

    /** An eager claim takes only a queue with a row (see {@link dev.weft.store.EagerClaim}): a queue served only remotely may have none. */
    private void declare(String queue) {
        try {
            store.tasks().declare(queue);
        } catch (StoreException e) {
            // the offers are refused until the queue has a row: its tasks are claimed as before meanwhile
            LOG.warn("Could not declare queue {}; its tasks are not taken at their enqueue for remote workers", queue, e);
        }
    }

    /** A task committed claimed for a remote worker's slot: recorded as a claim of this broker, as {@link #claim} records one. */
    private void handOver(ClaimedTask task, EagerTaker.Slot slot) {
        events.emit(new EngineEvent.ActivityStarted(time.now(), task.runId(), task.seq(), task.activity(), task.attempt()));
        claimedHere.put(task.claimToken(), task);
        slot.taken(remote(task));
    }

    private static RemoteTask remote(ClaimedTask task) {
        return new RemoteTask(task.claimToken(), task.runId(), task.seq(), task.attempt(), task.queue(), task.activity(),
                task.inputJson(), task.claims(), task.visibilityTimeout());
    }

    private void announced(String queue) {
        watchers.getOrDefault(queue, List.of()).forEach(Runnable::run);
    }

    /** Stops hearing other nodes' announcements. */
    void close() {
        lock.lock();
        try {
            if (listener != null) {
                listener.close();
                listener = null;
            }
        } catch (Exception e) {
            LOG.debug("Could not stop listening for queued work", e);
        } finally {
            lock.unlock();
        }
    }
}
