package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weft.failure.DatabaseUnavailableException;
import dev.weft.testing.TestDatabase;
import dev.weft.testsupport.TcpProxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node whose database is unreachable when it starts (the proxy in front of the database resets
 * every connection): building the store waits, and goes on once the database can be reached, or
 * gives up with a clear error once the wait is spent. H2 runs in the test's JVM and cannot be
 * unreachable, so these run on the servers.
 */
class DatabaseStartupWaitIntegrationTests {

    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MARIADB"})
    void startsOnceTheDatabaseCanBeReached(TestDatabase database) throws Exception {
        HikariConfig config = database.ownPoolConfig();
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(config.getJdbcUrl(), defaultPort(database));
             HikariDataSource pool = lazyPool(config, proxy)) {
            proxy.cut();
            CompletableFuture<JdbcWorkflowStore> starting = CompletableFuture.supplyAsync(
                    () -> JdbcWorkflowStore.builder(pool).startupWait(Duration.ofSeconds(60)).build());

            // Two refused connections: the store did not give up at the first.
            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.acceptedConnections() >= 2);
            assertThat(starting).isNotDone();

            proxy.pass();
            JdbcWorkflowStore store = starting.get(30, TimeUnit.SECONDS);
            assertThat(store.dialect().platform()).isEqualTo(database == TestDatabase.POSTGRESQL ? "postgresql" : "mariadb");
            assertThat(store.databaseTime()).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"POSTGRESQL", "MARIADB"})
    void givesUpWithAClearErrorWhenTheWaitIsSpent(TestDatabase database) throws Exception {
        HikariConfig config = database.ownPoolConfig();
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(config.getJdbcUrl(), defaultPort(database));
             HikariDataSource pool = lazyPool(config, proxy)) {
            proxy.cut();
            CompletableFuture<JdbcWorkflowStore> starting = CompletableFuture.supplyAsync(
                    () -> JdbcWorkflowStore.builder(pool).startupWait(Duration.ofSeconds(3)).build());

            Throwable failure = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                    () -> starting.get(30, TimeUnit.SECONDS)).getCause();
            assertThat(failure).isInstanceOfSatisfying(DatabaseUnavailableException.class, unavailable -> {
                assertThat(unavailable.attempts()).isGreaterThan(1);
                assertThat(unavailable.permanent()).isFalse();
                assertThat(unavailable.waited()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            });
        }
    }

    /**
     * A pool that connects on first use, as the one Spring Boot builds: a failed first connection
     * leaves it unstarted, and the next use tries again.
     */
    private static HikariDataSource lazyPool(HikariConfig config, TcpProxy proxy) {
        HikariDataSource pool = new HikariDataSource();
        config.copyStateTo(pool);
        pool.setJdbcUrl(proxy.rewrite(config.getJdbcUrl()));
        pool.setPoolName("startup-wait");
        pool.setConnectionTimeout(2_000);
        return pool;
    }

    private static int defaultPort(TestDatabase database) {
        return database == TestDatabase.POSTGRESQL ? 5432 : 3306;
    }
}
