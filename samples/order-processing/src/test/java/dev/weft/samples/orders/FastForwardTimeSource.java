package dev.weft.samples.orders;

import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real clock, except that timers due more than a minute ahead (the fulfilment sleep, which the
 * tests set to an hour) are held until the test fires them. Backoffs and per-attempt timeouts,
 * which the tests keep to milliseconds, run in real time. So a test can see a run parked in its
 * sleep, act on it there, and then end the sleep without waiting for it.
 */
final class FastForwardTimeSource implements TimeSource {

    private static final Duration HELD_BEYOND = Duration.ofMinutes(1);

    private final TimeSource clock = TimeSource.system();
    private final Set<CompletableFuture<Void>> held = ConcurrentHashMap.newKeySet();

    @Override
    public Instant now() {
        return clock.now();
    }

    @Override
    public CompletableFuture<Void> timer(Instant due) {
        if (Duration.between(clock.now(), due).compareTo(HELD_BEYOND) <= 0) {
            return clock.timer(due);
        }
        CompletableFuture<Void> timer = new CompletableFuture<>();
        held.add(timer);
        timer.whenComplete((ignored, cancelled) -> held.remove(timer));
        return timer;
    }

    /** How many long timers are waiting: one while a run sleeps. */
    int heldTimers() {
        held.removeIf(CompletableFuture::isDone);
        return held.size();
    }

    /** Fires every held timer now, as if its due time had come. */
    void fireHeldTimers() {
        held.forEach(timer -> timer.complete(null));
    }
}
