package dev.weft.internal;

import dev.weft.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Timers for waiting out a database that is away. They run on the real clock, not the engine's
 * {@link TimeSource}: an outage lasts real time, and an engine on a hand-moved test clock must
 * still look at its database again.
 */
final class OutageTimer {

    /** How long a run's thread waits before it reads again from a database that did not answer. */
    static final Duration READ_RETRY_WAIT = Duration.ofSeconds(1);
    /** The first wait before a failed write (or claim) is tried again; each further failure doubles it. */
    static final Duration FIRST_RETRY_WAIT = Duration.ofMillis(50);
    /** The longest wait between two tries: a database back after a long outage is used within this. */
    static final Duration LONGEST_RETRY_WAIT = Duration.ofSeconds(5);

    private static final TimeSource REAL = TimeSource.system();

    private OutageTimer() {
    }

    /** A future completed once {@code wait} of real time has passed; cancel it to forget the timer. */
    static CompletableFuture<Void> after(Duration wait) {
        return REAL.timer(REAL.now().plus(wait));
    }

    /** The wait after {@code wait} in a series of retries: twice as long, at most {@link #LONGEST_RETRY_WAIT}. */
    static Duration nextRetryWait(Duration wait) {
        Duration doubled = wait.multipliedBy(2);
        return doubled.compareTo(LONGEST_RETRY_WAIT) > 0 ? LONGEST_RETRY_WAIT : doubled;
    }

    /** Waits {@code wait} of real time on the calling thread; {@code false} if it was interrupted (the flag is set again). */
    static boolean pause(Duration wait) {
        CompletableFuture<Void> pause = after(wait);
        try {
            pause.get();
            return true;
        } catch (InterruptedException interrupted) {
            pause.cancel(false);
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException impossible) {
            // a timer only ever completes normally
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * After a read of {@code run}'s thread failed because the database is away: waits
     * {@link #READ_RETRY_WAIT} of real time, or until {@code wake}, before the caller reads again.
     * A run stopped meanwhile (cancelled, or abandoned when its lease is about to lapse) ends the
     * wait as any other of its waits.
     */
    static void awaitReadRetry(RunExecution run, CompletableFuture<Void> wake) {
        CompletableFuture<Void> retry = after(READ_RETRY_WAIT);
        try {
            run.await(CompletableFuture.anyOf(wake, retry));
        } finally {
            retry.cancel(false);
        }
    }
}
