package dev.weft.spring.boot.autoconfigure;

import dev.weft.store.jdbc.DatabaseStartupWait;
import dev.weft.store.jdbc.JdbcDialect;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.init.DatabaseInitializationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings of Weft's JDBC store: where its tables live and whether their schema is created at
 * start-up ({@code weft.jdbc.initialize-schema}: {@code embedded} by default, so production
 * databases are left to Flyway, Liquibase or the DBA).
 */
@ConfigurationProperties("weft.jdbc")
public class WeftJdbcProperties extends DatabaseInitializationProperties implements Validator {

    /** The location of the schema scripts shipped in the engine jar, one per platform. */
    public static final String DEFAULT_SCHEMA_LOCATION = "classpath:dev/weft/store/jdbc/schema-@@platform@@.sql";

    private static final String PLATFORMS =
            String.join(", ", Arrays.stream(JdbcDialect.values()).map(dialect -> "'" + dialect.platform() + "'").toList());

    /**
     * Prefix of Weft's table names: lower-case letters, digits and '_', starting with a letter.
     * The schema scripts are applied with their literal 'weft_' prefix replaced by this one.
     */
    private String tablePrefix = JdbcWorkflowStore.DEFAULT_TABLE_PREFIX;

    /**
     * How many group-commit batches are written at once, each in its own transaction on its own
     * pool connection. Unset: the store's default for the database (2 on PostgreSQL, 1 on
     * MariaDB/MySQL and H2).
     */
    private @Nullable Integer concurrentBatches;

    /**
     * How long a node starting before its database waits for it to accept a connection, trying
     * again with backoff (250 ms doubling to 5 s); 0 tries once.
     */
    private Duration startupWait = DatabaseStartupWait.DEFAULT_MAX_WAIT;

    /**
     * Whether, on PostgreSQL, wake-ups from other nodes arrive as notifications (LISTEN/NOTIFY). The
     * listener holds one connection of the pool; turn it off for a pool of one or two connections,
     * and wake-ups are polled every 200 ms instead.
     */
    private boolean listenForWakes = true;

    public WeftJdbcProperties() {
        // the scripts are idempotent: an error means something is wrong and must stop the start
        setContinueOnError(false);
    }

    public String getTablePrefix() {
        return tablePrefix;
    }

    public void setTablePrefix(String tablePrefix) {
        this.tablePrefix = tablePrefix;
    }

    public @Nullable Integer getConcurrentBatches() {
        return concurrentBatches;
    }

    public void setConcurrentBatches(@Nullable Integer concurrentBatches) {
        this.concurrentBatches = concurrentBatches;
    }

    public boolean isListenForWakes() {
        return listenForWakes;
    }

    public void setListenForWakes(boolean listenForWakes) {
        this.listenForWakes = listenForWakes;
    }

    public Duration getStartupWait() {
        return startupWait;
    }

    public void setStartupWait(Duration startupWait) {
        this.startupWait = startupWait;
    }

    /** The start-up wait these settings ask for. */
    public DatabaseStartupWait startupWaitForDatabase() {
        return DatabaseStartupWait.atMost(startupWait);
    }

    @Override
    public String getDefaultSchemaLocation() {
        return DEFAULT_SCHEMA_LOCATION;
    }

    @Override
    public boolean supports(Class<?> type) {
        return WeftJdbcProperties.class.isAssignableFrom(type);
    }

    /**
     * Refuses, at binding and so before any SQL runs, a table prefix that the schema scripts cannot
     * take and a platform that has no script.
     */
    @Override
    public void validate(Object target, Errors errors) {
        WeftJdbcProperties properties = (WeftJdbcProperties) target;
        if (!JdbcSchemaInitializer.isValidTablePrefix(properties.getTablePrefix())) {
            errors.rejectValue("tablePrefix", "weft.jdbc.table-prefix.invalid", "must be a lower-case letter followed by at most 29 "
                    + "lower-case letters, digits or '_' (" + JdbcSchemaInitializer.TABLE_PREFIX_RULE + "), since it is written into SQL");
        }
        if (properties.getStartupWait() == null || properties.getStartupWait().isNegative()) {
            errors.rejectValue("startupWait", "weft.jdbc.startup-wait.negative", "must be zero (try once) or a positive duration");
        }
        String platform = properties.getPlatform();
        if (platform != null && Arrays.stream(JdbcDialect.values()).noneMatch(dialect -> dialect.platform().equals(platform))) {
            errors.rejectValue("platform", "weft.jdbc.platform.unknown", "must be one of " + PLATFORMS
                    + " (MySQL uses 'mariadb'), or unset to detect it from the database");
        }
    }
}
