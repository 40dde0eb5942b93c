package dev.weft.store.jdbc;

import java.sql.PreparedStatement;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Wake-ups from node to node: of runs (channel {@code <prefix>wake}, payload a run id) and of idle
 * worker pools (channel {@code <prefix>task}, payload a queue name). On PostgreSQL they travel as
 * notifications on channels named after the table prefix, so stores with other prefixes on the
 * same database do not hear them; elsewhere there is no channel, and the engine polls instead.
 */
final class JdbcWakeChannel {

    private final StoreTemplate store;
    private final DataSource dataSource;
    private final String channel;
    private final boolean listen;

    /**
     * @param name the channel's name after the table prefix
     * @param listen whether to listen at all: the listener holds one connection of the pool
     */
    JdbcWakeChannel(StoreTemplate store, DataSource dataSource, String name, boolean listen) {
        this.store = store;
        this.dataSource = dataSource;
        this.channel = store.sql().tablePrefix() + name;
        this.listen = listen;
    }

    private boolean hasChannel() {
        return store.sql().dialect() == JdbcDialect.POSTGRESQL;
    }

    /** Notifies the listeners of {@code payload}; nothing where there is no channel. */
    void announce(String payload) {
        if (hasChannel()) {
            // committed on a pool without auto-commit too: a notification is sent when its transaction commits
            store.translated("announce '" + payload + "' on channel " + channel, () -> OwnTransaction.run(store.batch().getJdbcTemplate(),
                    connection -> {
                        try (PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
                            notify.setString(1, channel);
                            notify.setString(2, payload);
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
