package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.store.ConcurrencyGroup;
import dev.weft.store.WorkflowStore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts queued runs when slots of their concurrency key free up. The database decides which runs
 * start, under the key's row lock (see {@link WorkflowStore#admitQueued}); this class only says
 * when to ask: at once after a run of a key ends on this node, and at every adoption pass for each
 * key that has a queue. The second is the safety net: a node that dies between a run's end and its
 * pass, or a run that ends without a driver (a suspended run cancelled), leaves a free slot that
 * the next pass of any node fills.
 */
final class Admissions {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final WorkflowStore store;
    private final Consumer<String> takeUp;

    /** @param takeUp takes up an admitted run (running and unowned) if this node can, or leaves it to whoever can */
    Admissions(WorkflowStore store, Consumer<String> takeUp) {
        this.store = store;
        this.takeUp = takeUp;
    }

    /**
     * Admits on a thread of its own, after a run of {@code group} ended here or a start found free
     * slots behind a queue: neither the run's exit nor the start waits for the lock, and a failure
     * (the next adoption pass admits instead) fails neither.
     */
    void admitSoon(ConcurrencyGroup group) {
        Thread.ofVirtual().name("weft-admit").start(() -> {
            try {
                admit(group);
            } catch (RuntimeException e) {
                LOG.warn("Could not start the queued runs of '{}' under concurrency key '{}'; the next adoption pass will",
                        group.type(), group.key(), e);
            }
        });
    }

    /** Admits what the group's free slots allow and takes each admitted run up. */
    void admit(ConcurrencyGroup group) {
        store.admitQueued(group).forEach(takeUp);
    }

    /** The periodic pass: admits for every key that has queued runs, each on its own so one failure spares the others. */
    void admitAll() {
        for (ConcurrencyGroup group : store.queuedGroups()) {
            try {
                admit(group);
            } catch (RuntimeException e) {
                LOG.warn("Could not start the queued runs of '{}' under concurrency key '{}'; the next pass tries again",
                        group.type(), group.key(), e);
            }
        }
    }
}
