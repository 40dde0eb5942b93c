package dev.weft.spring.boot.autoconfigure;

import dev.weft.store.WorkflowStore;
import dev.weft.event.CommitObserver;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.store.jdbc.JdbcWorkflowStoreBuilder;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Weft's JDBC store on the application's {@link DataSource} (or the one marked
 * {@link WeftDataSource}), and the initializer of its schema. Every {@link CommitObserver} bean
 * (such as the one behind Weft's metrics) hears about the store's group commits.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class})
@ConditionalOnClass({JdbcWorkflowStore.class, DataSource.class})
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(WeftJdbcProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class WeftJdbcAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(WorkflowStore.class)
    JdbcWorkflowStore weftWorkflowStore(@WeftDataSource ObjectProvider<DataSource> weftDataSource,
            ObjectProvider<DataSource> dataSource, ObjectProvider<PlatformTransactionManager> transactionManager,
            ObjectProvider<CommitObserver> observers, WeftJdbcProperties properties) {
        DataSource own = weftDataSource.getIfAvailable();
        JdbcWorkflowStoreBuilder builder = JdbcWorkflowStore.builder(own != null ? own : dataSource.getObject())
                .tablePrefix(properties.getTablePrefix()).startupWait(properties.getStartupWait())
                .listenForWakes(properties.isListenForWakes());
        if (properties.getConcurrentBatches() != null) {
            builder.concurrentBatches(properties.getConcurrentBatches());
        }
        if (own == null) {
            // the application's transaction manager governs the application's data source
            transactionManager.ifUnique(builder::transactionManager);
        }
        List<CommitObserver> all = observers.orderedStream().toList();
        if (!all.isEmpty()) {
            builder.observer(all.size() == 1 ? all.getFirst() : new CompositeCommitObserver(all));
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean(WeftDataSourceScriptDatabaseInitializer.class)
    @Conditional(OnWeftDatabaseInitializationCondition.class)
    WeftDataSourceScriptDatabaseInitializer weftDataSourceScriptDatabaseInitializer(
            @WeftDataSource ObjectProvider<DataSource> weftDataSource, ObjectProvider<DataSource> dataSource,
            WeftJdbcProperties properties) {
        return new WeftDataSourceScriptDatabaseInitializer(weftDataSource.getIfAvailable(dataSource::getObject), properties);
    }

    /** Tells each of several observers, in order. */
    private record CompositeCommitObserver(List<CommitObserver> observers) implements CommitObserver {

        @Override
        public void onBatchCommitted(int checkpoints, Duration latency) {
            observers.forEach(observer -> observer.onBatchCommitted(checkpoints, latency));
        }

        @Override
        public void onBatchFailed(int checkpoints, Throwable error) {
            observers.forEach(observer -> observer.onBatchFailed(checkpoints, error));
        }
    }
}
