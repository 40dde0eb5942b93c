package dev.weft.spring.boot.autoconfigure;

import dev.weft.store.WorkflowStore;
import dev.weft.store.jdbc.JdbcWorkflowStore;
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
 * {@link WeftDataSource}), and the initializer of its schema.
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
            WeftJdbcProperties properties) {
        DataSource own = weftDataSource.getIfAvailable();
        JdbcWorkflowStore.Builder builder = JdbcWorkflowStore.builder(own != null ? own : dataSource.getObject())
                .tablePrefix(properties.getTablePrefix());
        if (own == null) {
            // the application's transaction manager governs the application's data source
            transactionManager.ifUnique(builder::transactionManager);
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
}
