package dev.weft.time;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Where the engine reads the time and how it waits for a moment to come: backoffs, durable sleeps
 * and per-attempt timeouts all go through it, so tests can move time forward instead of sleeping.
 * Lease times are not measured here: they come from the database's clock.
 */
public interface TimeSource {

    Instant now();

    /**
     * A future that completes once {@code due} has come (at once if it has passed). Cancelling the
     * future forgets the timer.
     */
    CompletableFuture<Void> timer(Instant due);

    /** The real clock. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
