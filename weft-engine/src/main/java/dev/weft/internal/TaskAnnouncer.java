package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.store.WorkflowStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells worker pools (and remote dispatchers) that a queue has new work, once the task is committed: this node's pool of
 * the queue at once, in memory, and the other nodes' through the store's channel. Announcements of
 * one queue are coalesced (one in flight, and one more for everything enqueued meanwhile), so a
 * busy queue costs a notification per round trip, not one per task.
 */
final class TaskAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);

    private final WorkflowStore store;
    private final Map<String, List<Runnable>> localPools = new ConcurrentHashMap<>();
    /** Per queue: 0 idle, 1 an announcement in flight, 2 in flight and another one owed. */
    private final Map<String, AtomicInteger> announcing = new ConcurrentHashMap<>();

    TaskAnnouncer(WorkflowStore store) {
        this.store = store;
    }

    /** Registers this node's pool of {@code queue}: {@code wake} is called for each task enqueued here. */
    void localPool(String queue, Runnable wake) {
        localPools.computeIfAbsent(queue, name -> new CopyOnWriteArrayList<>()).add(wake);
    }

    /** Stops telling {@code wake} of the queue's work. */
    void forget(String queue, Runnable wake) {
        List<Runnable> local = localPools.get(queue);
        if (local != null) {
            local.remove(wake);
        }
    }

    void enqueued(String queue) {
        localPools.getOrDefault(queue, List.of()).forEach(Runnable::run);
        AtomicInteger state = announcing.computeIfAbsent(queue, name -> new AtomicInteger());
        if (state.getAndUpdate(current -> Math.min(2, current + 1)) == 0) {
            Thread.ofVirtual().name("weft-announce-" + queue).start(() -> announceWhileOwed(queue, state));
        }
    }

    private void announceWhileOwed(String queue, AtomicInteger state) {
        do {
            try {
                store.tasks().announce(queue);
            } catch (RuntimeException e) {
                // best effort: the other nodes' pools poll as well
                LOG.debug("Could not announce new work on queue {}", queue, e);
            }
        } while (state.decrementAndGet() > 0);
    }
}
