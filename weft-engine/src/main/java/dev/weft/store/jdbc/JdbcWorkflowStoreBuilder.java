package dev.weft.store.jdbc;

import dev.weft.event.CommitObserver;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Options of a {@link JdbcWorkflowStore}. Every option has a default; only the data source is
 * required.
 */
public final class JdbcWorkflowStoreBuilder {

    final DataSource dataSource;
    String tablePrefix = JdbcWorkflowStore.DEFAULT_TABLE_PREFIX;
    int maxBatchSize = JdbcWorkflowStore.DEFAULT_MAX_BATCH_SIZE;
    @Nullable Integer concurrentBatches;
    @Nullable PlatformTransactionManager transactionManager;
    @Nullable JdbcDialect dialect;
    CommitObserver observer = CommitObserver.NONE;
    DatabaseStartupWait startupWait = DatabaseStartupWait.atMost(DatabaseStartupWait.DEFAULT_MAX_WAIT);
    boolean listenForWakes = true;

    JdbcWorkflowStoreBuilder(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The prefix of the table names, {@value JdbcWorkflowStore#DEFAULT_TABLE_PREFIX} by default; lower-case letters, digits and '_'. */
    public JdbcWorkflowStoreBuilder tablePrefix(String tablePrefix) {
        this.tablePrefix = JdbcSchemaInitializer.checkPrefix(tablePrefix);
        return this;
    }

    /** The most checkpoints written in one transaction, {@value JdbcWorkflowStore#DEFAULT_MAX_BATCH_SIZE} by default. */
    public JdbcWorkflowStoreBuilder maxBatchSize(int maxBatchSize) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("The batch size must be at least 1, was " + maxBatchSize);
        }
        this.maxBatchSize = maxBatchSize;
        return this;
    }

    /**
     * How many group-commit batches may be written at once, each in its own transaction on its
     * own connection: 2 on PostgreSQL, 1 on MariaDB/MySQL and H2 by default. More overlap one
     * batch's round trips and commit with another's work; each holds a pool connection while
     * it writes.
     */
    public JdbcWorkflowStoreBuilder concurrentBatches(int concurrentBatches) {
        if (concurrentBatches < 1) {
            throw new IllegalArgumentException("The number of batches written at once must be at least 1, was "
                    + concurrentBatches);
        }
        this.concurrentBatches = concurrentBatches;
        return this;
    }

    /**
     * The transaction manager for the data source, such as the application's; by default a
     * {@link JdbcTransactionManager} of its own.
     */
    public JdbcWorkflowStoreBuilder transactionManager(PlatformTransactionManager transactionManager) {
        this.transactionManager = Objects.requireNonNull(transactionManager, "transactionManager");
        return this;
    }

    /** The dialect, instead of detecting it from the database's product name. */
    public JdbcWorkflowStoreBuilder dialect(JdbcDialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        return this;
    }

    /**
     * How long {@link #build()} waits for the database to accept a connection, trying again
     * with backoff: {@link DatabaseStartupWait#DEFAULT_MAX_WAIT} by default; zero tries once.
     */
    public JdbcWorkflowStoreBuilder startupWait(Duration maxWait) {
        this.startupWait = DatabaseStartupWait.atMost(maxWait);
        return this;
    }

    /**
     * Whether the engine hears wake-ups from other nodes as PostgreSQL notifications (true by
     * default). The listener holds one connection of the pool for as long as the engine runs:
     * turn it off for a pool of one or two connections; wake-ups are then polled every 200 ms,
     * as on other databases.
     */
    public JdbcWorkflowStoreBuilder listenForWakes(boolean listen) {
        this.listenForWakes = listen;
        return this;
    }

    /** Hears about each group-commit transaction; none by default. */
    public JdbcWorkflowStoreBuilder observer(CommitObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    public JdbcWorkflowStore build() {
        return new JdbcWorkflowStore(this);
    }
}
