package dev.weft.failure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The database did not accept a connection while the engine was starting, not even after waiting
 * the configured time with backoff, or refused it for a reason that waiting cannot mend (wrong
 * credentials, an unknown database). Thrown before the engine takes up any run.
 */
public class DatabaseUnavailableException extends StoreException {

    private final Duration waited;
    private final int attempts;
    private final boolean permanent;

    /**
     * @param waited how long the engine waited for the database in all
     * @param attempts how many connections it tried
     * @param permanent whether the database refused for a reason that waiting cannot mend
     * @param cause the last failure to connect
     */
    public DatabaseUnavailableException(Duration waited, int attempts, boolean permanent, @Nullable Throwable cause) {
        super(message(waited, attempts, permanent, cause), cause);
        this.waited = waited;
        this.attempts = attempts;
        this.permanent = permanent;
    }

    private static String message(Duration waited, int attempts, boolean permanent, @Nullable Throwable cause) {
        String reason = cause == null ? "no reason given" : String.valueOf(cause.getMessage());
        return permanent
                ? "The database refused Weft's connection, for a reason that waiting will not mend: " + reason
                : "The database did not accept a connection within " + waited.toMillis() + " ms (" + attempts
                        + (attempts == 1 ? " attempt" : " attempts") + "); the last error: " + reason;
    }

    /** How long the engine waited for the database in all. */
    public Duration waited() {
        return waited;
    }

    /** How many connections the engine tried. */
    public int attempts() {
        return attempts;
    }

    /** Whether the database refused for a reason that waiting cannot mend, such as wrong credentials. */
    public boolean permanent() {
        return permanent;
    }
}
