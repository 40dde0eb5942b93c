package dev.weft.internal;

import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Timers for waiting out a database that is away. They run on the real clock, not the engine's
 * {@link TimeSource}: an outage lasts real time, and an engine on a hand-moved test clock must
 * still look at its database again.
 */
final class OutageTimer {

    private static final TimeSource REAL = TimeSource.system();

    private OutageTimer() {
    }

    /** A future completed once {@code wait} of real time has passed; cancel it to forget the timer. */
    static CompletableFuture<Void> after(Duration wait) {
        return REAL.timer(REAL.now().plus(wait));
    }
}
