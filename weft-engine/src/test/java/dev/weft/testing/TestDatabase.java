package dev.weft.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The databases the store is tested on, each a pooled data source shared by the whole test JVM.
 * PostgreSQL and MariaDB come from {@code WEFT_TEST_<DB>_URL} (with {@code _USER} and
 * {@code _PASSWORD}) or else from Testcontainers when Docker runs. When neither is there the tests
 * are skipped, except on CI ({@code CI=true}), where they must run and so fail.
 */
public enum TestDatabase {

    H2(null, null, null) {
        @Override
        HikariConfig config() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:h2:mem:weft-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            return config;
        }
    },

    POSTGRESQL("WEFT_TEST_POSTGRES", "postgres", () -> new PostgreSQLContainer("postgres:17-alpine")),

    /**
     * PostgreSQL through a pool that hands out connections without auto-commit (a common Spring Boot
     * setting): every write of the store must commit by itself.
     */
    POSTGRESQL_MANUAL_COMMIT("WEFT_TEST_POSTGRES", "postgres", () -> new PostgreSQLContainer("postgres:17-alpine")) {
        @Override
        HikariConfig config() {
            HikariConfig config = super.config();
            config.setAutoCommit(false);
            return config;
        }
    },

    MARIADB("WEFT_TEST_MARIADB", "root", () -> new MariaDBContainer("mariadb:11.4")),

    /**
     * MariaDB through the driver's bulk protocol, which answers batches without row counts: the
     * store must then find out another way which checkpoints its fence refused.
     */
    MARIADB_BULK_STATEMENTS("WEFT_TEST_MARIADB", "root", () -> new MariaDBContainer("mariadb:11.4")) {
        @Override
        HikariConfig config() {
            HikariConfig config = super.config();
            config.addDataSourceProperty("useBulkStmts", "true");
            return config;
        }
    };

    private static final Map<TestDatabase, DataSource> POOLS = new ConcurrentHashMap<>();

    private final String envPrefix;
    private final String defaultUser;
    private final Supplier<JdbcDatabaseContainer<?>> container;

    TestDatabase(String envPrefix, String defaultUser, Supplier<JdbcDatabaseContainer<?>> container) {
        this.envPrefix = envPrefix;
        this.defaultUser = defaultUser;
        this.container = container;
    }

    /** The shared data source, or an aborted (skipped) test when the database is not available outside CI. */
    public DataSource dataSource() {
        return POOLS.computeIfAbsent(this, database -> {
            HikariConfig config = database.config();
            config.setPoolName("weft-test-" + name().toLowerCase());
            config.setMaximumPoolSize(12);
            return new HikariDataSource(config);
        });
    }

    /**
     * The settings of a pool of one's own on this database (URL, user, password), for a test that
     * needs a pool nobody else uses: one routed through a proxy, or one it closes.
     */
    public HikariConfig ownPoolConfig() {
        return config();
    }

    HikariConfig config() {
        String url = System.getenv(envPrefix + "_URL");
        HikariConfig config = new HikariConfig();
        if (url != null && !url.isBlank()) {
            config.setJdbcUrl(url);
            config.setUsername(envOr(envPrefix + "_USER", defaultUser));
            config.setPassword(envOr(envPrefix + "_PASSWORD", ""));
            return config;
        }
        if (dockerAvailable()) {
            JdbcDatabaseContainer<?> started = container.get();
            started.start();
            // stopped by Testcontainers' reaper when the JVM ends
            config.setJdbcUrl(started.getJdbcUrl());
            config.setUsername(started.getUsername());
            config.setPassword(started.getPassword());
            return config;
        }
        String advice = "Set " + envPrefix + "_URL (and optionally " + envPrefix + "_USER, " + envPrefix
                + "_PASSWORD) or start Docker to run the " + this + " tests";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("On CI the " + this + " tests must run, never be skipped. " + advice);
        }
        Assumptions.abort(advice);
        throw new AssertionError("unreachable");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException ex) {
            return false;
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
