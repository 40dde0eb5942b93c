package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.store.ClaimedTask;
import dev.weft.store.EagerClaim;
import dev.weft.store.NewTask;
import dev.weft.store.WorkflowStore;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells worker pools (and remote dispatchers) that a queue has new work, once the task is committed: this node's pool of
 * the queue at once, in memory, and the other nodes' through the store's channel. Announcements of
 * one queue are coalesced (one in flight, and one more for everything enqueued meanwhile), so a
 * busy queue costs a notification per round trip, not one per task.
 *
 * <p>When this node's pool of the queue has a free slot, the task is offered to it instead: written
 * already claimed by the pool, if the store finds the queue plain ({@link EagerClaim}), and handed
 * to the pool once committed, with nothing to announce. Without a pool slot, a remote worker
 * connected here with a free slot is offered it the same way, through its taker
 * ({@link dev.weft.queue.EagerTaker}).
 */
final class TaskAnnouncer {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.ENGINE);

    private final WorkflowStore store;
    private final String node;
    private final Map<String, List<Runnable>> localPools = new ConcurrentHashMap<>();
    /** This node's worker pools by queue, which take tasks enqueued here directly when they have a free slot. */
    private final Map<String, QueuePool> workerPools = new ConcurrentHashMap<>();
    /** Takers of tasks for remote workers, by queue, offered a task when this node's pool of its queue has no slot. */
    private final Map<String, List<Reserver>> remoteTakers = new ConcurrentHashMap<>();
    /** Per queue: 0 idle, 1 an announcement in flight, 2 in flight and another one owed. */
    private final Map<String, AtomicInteger> announcing = new ConcurrentHashMap<>();

    TaskAnnouncer(WorkflowStore store, String node) {
        this.store = store;
        this.node = node;
    }

    /** Registers this node's worker pool of its queue: woken for tasks enqueued here, and offered them when it has a slot. */
    void workerPool(QueuePool pool) {
        workerPools.put(pool.queue(), pool);
        localPool(pool.queue(), pool::wake);
    }

    /**
     * Registers a taker of {@code queue}'s tasks for workers that are not this node's pools (remote
     * workers): offered a task enqueued here when the node's own pool of the queue has no free slot.
     */
    void remoteTaker(String queue, Reserver reserver) {
        remoteTakers.computeIfAbsent(queue, name -> new CopyOnWriteArrayList<>()).add(reserver);
    }

    /** Stops offering {@code reserver} the queue's tasks. */
    void forgetRemoteTaker(String queue, Reserver reserver) {
        List<Reserver> takers = remoteTakers.get(queue);
        if (takers != null) {
            takers.remove(reserver);
        }
    }

    /**
     * Enqueues {@code task} through {@code commit} (the checkpoint that writes it), then tells the
     * pools; with a claim offered when a slot could be reserved for it (this node's pool of the queue
     * first, then a remote taker), and the task handed to that slot if the store took the offer.
     */
    void enqueue(NewTask task, Consumer<NewTask> commit) {
        Reservation slot = reserve(task);
        if (slot == null) {
            commit.accept(task);
            enqueued(task.queue());
            return;
        }
        EagerClaim claim = new EagerClaim(UUID.randomUUID().toString(), node, task.enqueuedAt().plus(task.visibilityTimeout()));
        boolean handedOver = false;
        try {
            commit.accept(task.withEagerClaim(claim));
            if (claim.taken()) {
                slot.handOver().accept(new ClaimedTask(task.runId(), task.seq(), task.attempt(), task.queue(), task.activity(),
                        task.inputJson(), claim.token(), 1, task.visibilityTimeout(), task.enqueuedAt(), claim.expiresAt()));
                handedOver = true;
                return;
            }
        } finally {
            if (!handedOver) {
                slot.giveBack().run();
            }
        }
        enqueued(task.queue());
    }

    /** A free slot for {@code task}: this node's pool of its queue, else the first remote taker with one; {@code null} if none. */
    private @Nullable Reservation reserve(NewTask task) {
        QueuePool pool = workerPools.get(task.queue());
        if (pool != null && pool.reserve()) {
            return new Reservation(pool::runTaken, pool::giveBack);
        }
        for (Reserver taker : remoteTakers.getOrDefault(task.queue(), List.of())) {
            Reservation slot = taker.reserve(task);
            if (slot != null) {
                return slot;
            }
        }
        return null;
    }

    /** Reserves a slot for a task about to be enqueued, or answers {@code null}. */
    @FunctionalInterface
    interface Reserver {
        @Nullable Reservation reserve(NewTask task);
    }

    /**
     * A slot reserved for one task: {@code handOver} runs it once it was committed claimed,
     * {@code giveBack} frees the slot otherwise; exactly one of them is called.
     */
    record Reservation(Consumer<ClaimedTask> handOver, Runnable giveBack) {
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
