package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.WorkflowStatus;
import dev.weft.failure.StoreException;
import dev.weft.store.RunRecord;
import dev.weft.store.WorkflowStore;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a run that this engine neither drives nor parked, on a thread of its own: takes up a run of
 * a registered type that nobody holds, or tells the live node that holds it through the store's wake
 * channel. It tries again while the database does not answer: a run parked elsewhere and woken here
 * has nobody else to take it up when periodic adoption is off.
 */
final class CrossNodeWaker {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    private final WorkflowStore store;
    private final Registry registry;
    private final String nodeId;
    private final EngineState state;
    private final Predicate<String> drivenHere;
    private final Consumer<String> takeUp;

    /**
     * @param drivenHere whether this engine drives a run now: then it was woken here meanwhile
     * @param takeUp claims a run that nobody holds and drives it; throws {@link StoreException} when
     *     the database does not answer, for this waker to try again
     */
    CrossNodeWaker(WorkflowStore store, Registry registry, String nodeId, EngineState state, Predicate<String> drivenHere,
            Consumer<String> takeUp) {
        this.store = store;
        this.registry = registry;
        this.nodeId = nodeId;
        this.state = state;
        this.drivenHere = drivenHere;
        this.takeUp = takeUp;
    }

    /** Wakes run {@code id} elsewhere, soon: the caller (a signal, a completion) does not wait for the database. */
    void wakeSoon(String id) {
        Thread.ofVirtual().name("weft-wake-" + id).start(() -> wake(id));
    }

    private void wake(String id) {
        Duration wait = OutageTimer.FIRST_RETRY_WAIT;
        while (!state.isPaused()) {
            try {
                wakeOnce(id);
                return;
            } catch (StoreException e) {
                if (wait.equals(OutageTimer.FIRST_RETRY_WAIT)) {
                    LOG.warn("Could not wake run {}; retrying in {}", id, wait, e);
                }
                if (!OutageTimer.pause(wait)) {
                    return;
                }
                wait = OutageTimer.nextRetryWait(wait);
            }
        }
    }

    private void wakeOnce(String id) {
        try {
            RunRecord run = store.findRun(id).orElse(null);
            if (run == null || run.status() != WorkflowStatus.RUNNING || drivenHere.test(id)) {
                return;
            }
            if (run.owner() == null) {
                if (registry.hasWorkflow(run.type())) {
                    takeUp.accept(id);
                }
            } else if (!run.owner().equals(nodeId)) {
                store.announceWake(id);
            }
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Could not wake run {} on another node; its wake request waits for that node's poll", id, e);
        }
    }
}
