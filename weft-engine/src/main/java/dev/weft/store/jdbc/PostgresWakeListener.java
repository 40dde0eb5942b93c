package dev.weft.store.jdbc;

import dev.weft.LogCategories;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears PostgreSQL notifications on the store's wake channel, on one connection of the pool that
 * it holds for as long as it listens, and hands each payload (a run id) on. A lost connection is
 * replaced after a pause; wakes sent meanwhile are not lost for good, since every one of them also
 * left a wake request in the run's row, which the owner's regular poll reads.
 */
final class PostgresWakeListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogCategories.STORE);
    private static final int WAIT_MILLIS = 1_000;
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final String channel;
    private final Consumer<String> onWake;
    private final Thread thread;
    /** Counted down by {@link #close()}: ends a pause before reconnecting at once. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;

    PostgresWakeListener(DataSource dataSource, String channel, Consumer<String> onWake) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.onWake = onWake;
        this.thread = Thread.ofVirtual().name("weft-listener-" + channel).start(this::listen);
    }

    private void listen() {
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("listen \"" + channel + "\"");
                }
                if (!connection.getAutoCommit()) {
                    // LISTEN takes effect when its transaction commits
                    connection.commit();
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
                    if (received != null) {
                        for (PGNotification notification : received) {
                            onWake.accept(notification.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("Listening for wake-ups on channel {} failed; listening again in {} ms (meanwhile the regular poll "
                        + "delivers them)", channel, RECONNECT_PAUSE.toMillis(), e);
                try {
                    closing.await(RECONNECT_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Stops listening. Not by an interrupt, which would make the driver close the connection under
     * the pool: the loop sees the flag within one wait and gives its connection back.
     */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        try {
            thread.join(Duration.ofMillis(2L * WAIT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
