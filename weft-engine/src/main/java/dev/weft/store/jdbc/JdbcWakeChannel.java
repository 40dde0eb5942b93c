package dev.weft.store.jdbc;

import java.sql.PreparedStatement;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Wake-ups from node to node. On PostgreSQL they travel as notifications on a channel named after
 * the table prefix ({@code <prefix>wake}), so stores with other prefixes on the same database do
 * not hear them; elsewhere there is no channel, and the engine polls for wake requests instead.
 */
final class JdbcWakeChannel {

    private final StoreTemplate store;
    private final DataSource dataSource;
    private final String channel;
    private final boolean listen;

    /** @param listen whether to listen at all: the listener holds one connection of the pool */
    JdbcWakeChannel(StoreTemplate store, DataSource dataSource, boolean listen) {
        this.store = store;
        this.dataSource = dataSource;
        this.channel = store.sql().tablePrefix() + "wake";
        this.listen = listen;
    }

    private boolean hasChannel() {
        return store.sql().dialect() == JdbcDialect.POSTGRESQL;
    }

    /** Notifies the listeners of run {@code runId}'s wake-up; nothing where there is no channel. */
    void announce(String runId) {
        if (hasChannel()) {
            // committed on a pool without auto-commit too: a notification is sent when its transaction commits
            store.translated("announce a wake-up of run '" + runId + "'", () -> OwnTransaction.run(store.batch().getJdbcTemplate(),
                    connection -> {
                        try (PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
                            notify.setString(1, channel);
                            notify.setString(2, runId);
                            return notify.execute();
                        }
                    }));
        }
    }

    /** Listens on the channel until the answer is closed; {@code null} where there is none, or listening is off. */
    @Nullable AutoCloseable listen(Consumer<String> onWake) {
        return hasChannel() && listen ? new PostgresWakeListener(dataSource, channel, onWake) : null;
    }
}
