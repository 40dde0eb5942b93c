package dev.weft.bench;

import java.time.Instant;

/**
 * The system's wall clock in microseconds since the epoch: the one clock the engine's JVM and the
 * worker JVMs of W8 share on one machine ({@code System.nanoTime} has an origin per JVM).
 * {@code Instant.now()} reads it with microsecond resolution on Linux.
 */
final class WallClock {

    private WallClock() {
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /** Microseconds from {@code earlier} (a reading of {@link #micros()}, perhaps in another JVM) until now. */
    static long microsSince(long earlier) {
        return micros() - earlier;
    }
}
