package dev.weft.internal;

import dev.weft.LogCategories;
import dev.weft.event.EngineEvent.WakeReason;
import dev.weft.failure.StoreException;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs this engine parked, each with the timer that takes it up again when its wait ends (or
 * sooner, when a signal or completion wakes it). Another engine takes a run up instead if this one
 * is gone by then: the run is unowned and due in the database.
 *
 * <p>A take-up the database did not answer (it restarts, is out of reach, or has no free connection)
 * is tried again, on the real clock, until it gets an answer: the run stays parked here meanwhile.
 * Nothing else would take it up when periodic adoption is off, and a run whose wait is over must not
 * be stranded by one failed claim.
 */
final class ParkedRuns {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.RUNS);

    /** Each parked run's wake-up: completed by its clock (with TIMER) or by a request (with REQUEST), whichever comes first. */
    private final ConcurrentHashMap<String, CompletableFuture<WakeReason>> timers = new ConcurrentHashMap<>();
    private final TimeSource time;
    private final EngineState state;
    private final BiConsumer<String, WakeReason> takeUp;

    /**
     * @param takeUp claims and drives a run whose timer fired, unless the engine is paused, with why it
     *     fired; throws {@link StoreException} when the database did not answer, and the run is tried again
     */
    ParkedRuns(TimeSource time, EngineState state, BiConsumer<String, WakeReason> takeUp) {
        this.time = time;
        this.state = state;
        this.takeUp = takeUp;
    }

    /**
     * Remembers a parked run and returns the timer that takes it up at {@code wakeAt}; completing
     * it with {@link WakeReason#REQUEST} takes the run up at once.
     */
    CompletableFuture<WakeReason> scheduleWake(String id, Instant wakeAt) {
        CompletableFuture<WakeReason> timer = new CompletableFuture<>();
        if (!wakeAt.equals(WorkflowStore.FAR_FUTURE)) {
            CompletableFuture<Void> clock = time.timer(wakeAt);
            clock.thenRun(() -> timer.complete(WakeReason.TIMER));
            // Woken by a request or forgotten: the clock is not needed any more.
            timer.whenComplete((reason, error) -> clock.cancel(false));
        }
        timers.put(id, timer);
        whenFired(id, timer, OutageTimer.FIRST_RETRY_WAIT);
        return timer;
    }

    /** @param retryWait how long to wait before trying again if this take-up finds the database away */
    private void whenFired(String id, CompletableFuture<WakeReason> timer, Duration retryWait) {
        timer.thenAcceptAsync(reason -> fire(id, timer, reason, retryWait),
                runnable -> Thread.ofVirtual().name("weft-wake-" + id).start(runnable));
    }

    private void fire(String id, CompletableFuture<WakeReason> timer, WakeReason reason, Duration retryWait) {
        // Only the timer still registered takes the run up: a resume or suspend removed it meanwhile.
        if (!timers.remove(id, timer) || state.isPaused()) {
            return;
        }
        try {
            takeUp.accept(id, reason);
        } catch (StoreException e) {
            if (retryWait.equals(OutageTimer.FIRST_RETRY_WAIT)) {
                LOG.warn("Could not take up parked run {}; retrying in {}", id, retryWait, e);
            } else {
                // one warning per run and outage; the repeats only at DEBUG, so an outage does not flood the log
                LOG.debug("Could not take up parked run {} again; retrying in {}: {}", id, retryWait, e.getMessage());
            }
            retryLater(id, reason, retryWait);
        }
    }

    /**
     * Registers a take-up of the run again after {@code wait} of real time (a request completes it
     * sooner), unless the run was taken up and parked anew meanwhile: its own timer stands then.
     */
    private void retryLater(String id, WakeReason reason, Duration wait) {
        CompletableFuture<WakeReason> retry = new CompletableFuture<>();
        CompletableFuture<Void> pause = OutageTimer.after(wait);
        pause.thenRun(() -> retry.complete(reason));
        retry.whenComplete((done, error) -> pause.cancel(false));
        if (timers.putIfAbsent(id, retry) != null) {
            retry.cancel(false);
            return;
        }
        whenFired(id, retry, OutageTimer.nextRetryWait(wait));
    }

    /** Takes a parked run up now, if this engine parked it; whether it did. */
    boolean wake(String id) {
        CompletableFuture<WakeReason> timer = timers.get(id);
        if (timer != null) {
            timer.complete(WakeReason.REQUEST);
            return true;
        }
        return false;
    }

    /** Forgets a parked run without taking it up: it is resumed or suspended by other means. */
    void forget(String id) {
        CompletableFuture<WakeReason> timer = timers.remove(id);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Forgets every parked run: the engine hands them back; they are due in the database for any engine. */
    void forgetAll() {
        timers.values().forEach(timer -> timer.cancel(false));
        timers.clear();
    }

    int count() {
        return timers.size();
    }
}
