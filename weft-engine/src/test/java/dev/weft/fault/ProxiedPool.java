package dev.weft.fault;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.testing.TestDatabase;
import dev.weft.testsupport.TcpProxy;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A connection pool of its own (Hikari, as an application would have) that reaches a test database
 * through a {@link TcpProxy}, so that a test can partition, cut or slow down one node's link to the
 * database while the node's JVM, and every other node, keep running.
 *
 * <p>The pool keeps Hikari's defaults except for short waits (a connection in 2 s, a validation in
 * 1 s) so that a test does not sit out Hikari's 30 s when the network returns. It sets no socket
 * timeout on the driver: a statement sent into a partition hangs, as it would with the drivers'
 * defaults, and the engine must cope with that.
 */
final class ProxiedPool implements AutoCloseable {

    private final TcpProxy proxy;
    private final HikariDataSource pool;

    private ProxiedPool(TcpProxy proxy, HikariDataSource pool) {
        this.proxy = proxy;
        this.pool = pool;
    }

    /**
     * A pool of {@code size} connections to {@code database} through a new proxy. An open transaction
     * stranded by a partition is ended by the server after {@code idleTransactionTimeout} (see
     * docs/engine.md: without it the server keeps its row locks until it notices the dead peer).
     */
    static ProxiedPool open(TestDatabase database, String poolName, int size, Duration idleTransactionTimeout) {
        return open(database, poolName, size, idleTransactionTimeout, Duration.ofSeconds(2));
    }

    /** The same, waiting at most {@code connectionTimeout} for a free connection. */
    static ProxiedPool open(TestDatabase database, String poolName, int size, Duration idleTransactionTimeout,
            Duration connectionTimeout) {
        HikariDataSource shared = (HikariDataSource) database.dataSource();
        TcpProxy proxy = TcpProxy.forJdbcUrl(shared.getJdbcUrl(), database == TestDatabase.MARIADB ? 3306 : 5432);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(proxy.rewrite(shared.getJdbcUrl()));
        config.setUsername(shared.getUsername());
        config.setPassword(shared.getPassword());
        config.setPoolName(poolName);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(1_000);
        config.setConnectionInitSql(database == TestDatabase.MARIADB
                ? "set session idle_transaction_timeout = " + idleTransactionTimeout.toSeconds()
                : "set idle_in_transaction_session_timeout = '" + idleTransactionTimeout.toMillis() + "ms'");
        return new ProxiedPool(proxy, new HikariDataSource(config));
    }

    TcpProxy proxy() {
        return proxy;
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        proxy.pass();
        pool.close();
        proxy.close();
    }
}
