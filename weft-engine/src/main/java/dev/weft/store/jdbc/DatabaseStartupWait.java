package dev.weft.store.jdbc;

import dev.weft.LogCategories;
import dev.weft.failure.DatabaseUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, while an engine starts, for the database to accept a connection: a node started before
 * its database (a deploy where both restart, a container scheduled first) then starts when the
 * database does, instead of exiting at its first refused connection. The wait is bounded: it
 * tries again after 250 ms, doubling up to 5 s between attempts, for at most {@code maxWait} in
 * all, and logs each refusal. A refusal that waiting cannot mend (wrong credentials, an unknown
 * database, SQLState classes 28, 3D and 42) ends the wait at once.
 */
public final class DatabaseStartupWait {

    /** How long a node waits for its database by default. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);
    static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.STORE);

    /** Sleeps between attempts; a test replaces it to run on a manual clock. */
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Duration maxWait;
    private final Pause pause;
    private final LongSupplier nanoTime;

    DatabaseStartupWait(Duration maxWait, Pause pause, LongSupplier nanoTime) {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("The start-up wait for the database must not be negative, was " + maxWait);
        }
        this.maxWait = maxWait;
        this.pause = pause;
        this.nanoTime = nanoTime;
    }

    /** Waits at most {@code maxWait} in all; {@link Duration#ZERO} tries once. */
    public static DatabaseStartupWait atMost(Duration maxWait) {
        return new DatabaseStartupWait(maxWait, Thread::sleep, System::nanoTime);
    }

    public Duration maxWait() {
        return maxWait;
    }

    /**
     * Returns once {@code dataSource} hands out a connection.
     *
     * @throws DatabaseUnavailableException when it did not within the wait, or refused for good
     */
    public void await(DataSource dataSource) {
        long start = nanoTime.getAsLong();
        Duration nextPause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            Exception failure;
            try (Connection ignored = dataSource.getConnection()) {
                if (attempt > 1) {
                    LOG.info("The database accepted a connection after {} attempts ({} ms); starting", attempt, elapsed(start).toMillis());
                }
                return;
            } catch (SQLException | RuntimeException e) {
                failure = e;
            }
            Duration waited = elapsed(start);
            if (isPermanent(failure)) {
                throw new DatabaseUnavailableException(waited, attempt, true, failure);
            }
            Duration left = maxWait.minus(waited);
            if (left.compareTo(Duration.ZERO) <= 0) {
                throw new DatabaseUnavailableException(waited, attempt, false, failure);
            }
            Duration sleep = nextPause.compareTo(left) < 0 ? nextPause : left;
            LOG.warn("The database refused a connection at start-up (attempt {}: {}); trying again in {} ms, for at most {} ms more",
                    attempt, failure.getMessage(), sleep.toMillis(), left.toMillis());
            pauseFor(sleep, waited, attempt, failure);
            nextPause = nextPause.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0 ? nextPause.multipliedBy(2) : LONGEST_PAUSE;
        }
    }

    private void pauseFor(Duration sleep, Duration waited, int attempt, Exception failure) {
        try {
            pause.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            DatabaseUnavailableException interrupted = new DatabaseUnavailableException(waited, attempt, false, failure);
            interrupted.addSuppressed(e);
            throw interrupted;
        }
    }

    private Duration elapsed(long start) {
        return Duration.ofNanos(nanoTime.getAsLong() - start);
    }

    /**
     * Whether the database answered, and said no for a reason in the configuration: invalid
     * authorization (28), invalid catalog name (3D), syntax error or access rule violation (42).
     */
    static boolean isPermanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2) {
                String sqlStateClass = sql.getSQLState().substring(0, 2);
                if (sqlStateClass.equals("28") || sqlStateClass.equals("3D") || sqlStateClass.equals("42")) {
                    return true;
                }
            }
        }
        return false;
    }
}
