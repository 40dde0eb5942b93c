package dev.weft.internal;

import dev.weft.store.WorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The runs this engine parked, each with the timer that takes it up again when its wait ends (or
 * sooner, when a signal or completion wakes it). Another engine takes a run up instead if this one
 * is gone by then: the run is unowned and due in the database.
 */
final class ParkedRuns {

    private final ConcurrentHashMap<String, CompletableFuture<Void>> timers = new ConcurrentHashMap<>();
    private final TimeSource time;
    private final EngineState state;
    private final Consumer<String> takeUp;

    /** @param takeUp claims and drives a run whose timer fired, unless the engine is paused */
    ParkedRuns(TimeSource time, EngineState state, Consumer<String> takeUp) {
        this.time = time;
        this.state = state;
        this.takeUp = takeUp;
    }

    /** Remembers a parked run and returns the timer that takes it up at {@code wakeAt}. */
    CompletableFuture<Void> scheduleWake(String id, Instant wakeAt) {
        CompletableFuture<Void> timer = wakeAt.equals(WorkflowStore.FAR_FUTURE) ? new CompletableFuture<>() : time.timer(wakeAt);
        timers.put(id, timer);
        timer.thenRunAsync(() -> fire(id, timer), runnable -> Thread.ofVirtual().name("weft-wake-" + id).start(runnable));
        return timer;
    }

    private void fire(String id, CompletableFuture<Void> timer) {
        // Only the timer still registered takes the run up: a resume or suspend removed it meanwhile.
        if (!timers.remove(id, timer) || state.isPaused()) {
            return;
        }
        takeUp.accept(id);
    }

    /** Takes a parked run up now, if this engine parked it. */
    void wake(String id) {
        CompletableFuture<Void> timer = timers.get(id);
        if (timer != null) {
            timer.complete(null);
        }
    }

    /** Forgets a parked run without taking it up: it is resumed or suspended by other means. */
    void forget(String id) {
        CompletableFuture<Void> timer = timers.remove(id);
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
