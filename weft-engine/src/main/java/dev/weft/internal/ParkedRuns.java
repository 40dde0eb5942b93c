package dev.weft.internal;

import dev.weft.event.EngineEvent.WakeReason;
import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The runs this engine parked, each with the timer that takes it up again when its wait ends (or
 * sooner, when a signal or completion wakes it). Another engine takes a run up instead if this one
 * is gone by then: the run is unowned and due in the database.
 */
final class ParkedRuns {

    /** Each parked run's wake-up: completed by its clock (with TIMER) or by a request (with REQUEST), whichever comes first. */
    private final ConcurrentHashMap<String, CompletableFuture<WakeReason>> timers = new ConcurrentHashMap<>();
    private final TimeSource time;
    private final EngineState state;
    private final BiConsumer<String, WakeReason> takeUp;

    /** @param takeUp claims and drives a run whose timer fired, unless the engine is paused, with why it fired */
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
        timer.thenAcceptAsync(reason -> fire(id, timer, reason), runnable -> Thread.ofVirtual().name("weft-wake-" + id).start(runnable));
        return timer;
    }

    private void fire(String id, CompletableFuture<WakeReason> timer, WakeReason reason) {
        // Only the timer still registered takes the run up: a resume or suspend removed it meanwhile.
        if (!timers.remove(id, timer) || state.isPaused()) {
            return;
        }
        takeUp.accept(id, reason);
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
