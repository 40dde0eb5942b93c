package dev.weft.time;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * The range of times the engine stores: wake times of sleeps and timers, deadlines of signal waits
 * and execution timeouts, due times of retries. Checked when the time is computed, before anything
 * is written, because a time the database cannot hold would make its checkpoint fail for good.
 *
 * <p>The limit is the narrowest of the supported databases: MariaDB's {@code datetime} ends with
 * the year 9999 (PostgreSQL's {@code timestamp with time zone} reaches the year 294276, H2's
 * beyond). A wait longer than that is a wait for ever, which a signal wait without timeout already
 * expresses.
 */
public final class StorableTimes {

    /** Every stored wake time or deadline falls before this instant, which also stands for "never". */
    public static final Instant LIMIT = Instant.parse("9999-12-31T00:00:00Z");

    private StorableTimes() {
    }

    /**
     * {@code start + duration}, or a clear error naming {@code what} ("a sleep"), the duration and
     * the limit when the sum does not fall before {@link #LIMIT}.
     *
     * @throws IllegalArgumentException when the time would not fall before {@link #LIMIT}
     */
    public static Instant after(Instant start, Duration duration, String what) {
        Instant end;
        try {
            end = start.plus(duration);
        } catch (DateTimeException | ArithmeticException beyondJava) {
            throw tooLate(what, duration, start, "beyond the latest instant Java represents");
        }
        if (!end.isBefore(LIMIT)) {
            throw tooLate(what, duration, start, "at " + end);
        }
        return end;
    }

    private static IllegalArgumentException tooLate(String what, Duration duration, Instant start, String end) {
        return new IllegalArgumentException(what + " of " + duration + " from " + start + " would end " + end
                + ", but wake times and deadlines must fall before " + LIMIT
                + " (the latest time every supported database stores); use a shorter duration, or wait without a timeout");
    }
}
