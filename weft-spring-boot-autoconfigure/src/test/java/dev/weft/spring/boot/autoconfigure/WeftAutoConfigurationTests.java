package dev.weft.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.WeftEngine;
import dev.weft.spring.Activity;
import dev.weft.spring.DurableMethodRegistrar;
import dev.weft.spring.WeftClient;
import dev.weft.store.WorkflowStore;
import dev.weft.store.jdbc.JdbcDialect;
import dev.weft.store.jdbc.JdbcSchemaInitializer;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

class WeftAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0");

    @Test
    void definesTheEngineOnTheApplicationsDataSourceAndCreatesTheSchemaOfAnEmbeddedDatabase() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(WeftEngine.class).hasBean("weftEngine");
            assertThat(context).hasSingleBean(JdbcWorkflowStore.class);
            assertThat(context).hasSingleBean(WeftDataSourceScriptDatabaseInitializer.class);
            assertThat(context).hasSingleBean(WeftClient.class).hasSingleBean(WeftLifecycle.class)
                    .hasSingleBean(DurableMethodRegistrar.class);
            assertThat(context).hasSingleBean(dev.weft.client.WorkflowClient.class);
            assertThat(context.getBean(WeftLifecycle.class).isRunning()).isTrue();
            assertThat(context.getBean(WeftEngine.class).isWorker()).isTrue();
            assertThat(rows(context.getBean(DataSource.class), "weft_run")).isZero();
        });
    }

    @Test
    void aStoppedContextThatStartsAgainDrivesRunsAgain() {
        runner.run(context -> {
            WeftLifecycle lifecycle = context.getBean(WeftLifecycle.class);
            WeftEngine engine = context.getBean(WeftEngine.class);

            lifecycle.stop();
            assertThat(engine.isPaused()).isTrue();
            assertThatThrownBy(() -> engine.start("anything", null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("paused");
            lifecycle.start();

            assertThat(engine.isPaused()).isFalse();
            assertThat(lifecycle.isRunning()).isTrue();
            assertThatThrownBy(() -> engine.start("anything", null)).isInstanceOf(dev.weft.failure.WorkflowNotRegisteredException.class);
        });
    }

    @Test
    void appliesTheSchemaWithTheConfiguredTablePrefix() {
        runner.withPropertyValues("weft.jdbc.table-prefix=flow_").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(JdbcWorkflowStore.class).tablePrefix()).isEqualTo("flow_");
            assertThat(rows(context.getBean(DataSource.class), "flow_run")).isZero();
            assertThat(tableExists(context.getBean(DataSource.class), "weft_run")).isFalse();
        });
    }

    @Test
    void writesAsManyBatchesAtOnceAsConfiguredAndTheDatabasesDefaultOtherwise() {
        runner.run(context -> assertThat(context.getBean(JdbcWorkflowStore.class).concurrentBatches()).isOne());
        runner.withPropertyValues("weft.jdbc.concurrent-batches=3")
                .run(context -> assertThat(context.getBean(JdbcWorkflowStore.class).concurrentBatches()).isEqualTo(3));
    }

    @Test
    void refusesToStartWithFewerThanOneConcurrentBatch() {
        runner.withPropertyValues("weft.jdbc.concurrent-batches=0").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("batches written at once must be at least 1, was 0"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesTheEngine() {
        runner.withUserConfiguration(OwnEngine.class).run(context -> {
            assertThat(context).hasSingleBean(WeftEngine.class);
            assertThat(context.getBean(WeftEngine.class).nodeId()).isEqualTo("own-engine");
            assertThat(context).hasSingleBean(WeftClient.class);
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesTheStore() {
        runner.withUserConfiguration(OwnStore.class).run(context -> {
            assertThat(context).hasSingleBean(WorkflowStore.class);
            assertThat(context.getBean(WorkflowStore.class)).isSameAs(context.getBean("ownStore"));
            assertThat(context).hasSingleBean(WeftEngine.class);
        });
    }

    @Test
    void createsNoSchemaWhenInitializationIsNever() {
        runner.withUserConfiguration(SchemaManagedElsewhere.class)
                .withPropertyValues("weft.jdbc.initialize-schema=never", "weft.jdbc.table-prefix=managed_")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(WeftDataSourceScriptDatabaseInitializer.class);
                    assertThat(tableExists(context.getBean(DataSource.class), "weft_run")).isFalse();
                    assertThat(context.getBean(JdbcWorkflowStore.class).tablePrefix()).isEqualTo("managed_");
                });
    }

    @Test
    void keepsItsStateInTheDataSourceMarkedWeftDataSource() {
        runner.withUserConfiguration(TwoDataSources.class).run(context -> {
            assertThat(context).hasNotFailed();
            DataSource main = context.getBean("mainDataSource", DataSource.class);
            DataSource weft = context.getBean("weftOnly", DataSource.class);
            assertThat(tableExists(weft, "weft_run")).isTrue();
            assertThat(tableExists(main, "weft_run")).isFalse();
        });
    }

    @Test
    void aNodeWithTheWorkerDisabledIsClientOnly() {
        runner.withPropertyValues("weft.worker.enabled=false").run(context -> {
            assertThat(context.getBean(WeftEngine.class).isWorker()).isFalse();
            assertThat(context).hasSingleBean(WeftClient.class);
        });
    }

    @Test
    void bindsEngineSettings() {
        runner.withPropertyValues("weft.node-id=node-a", "weft.lease=45s", "weft.lease-renew-interval=5s",
                "weft.retry.max-attempts=7", "weft.retry.initial-backoff=250ms", "weft.shutdown-timeout=2s").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WeftEngine.class).nodeId()).isEqualTo("node-a");
            WeftProperties properties = context.getBean(WeftProperties.class);
            assertThat(properties.getLease()).isEqualTo(Duration.ofSeconds(45));
            assertThat(properties.getRetry().toPolicy().maxAttempts()).isEqualTo(7);
            assertThat(properties.getRetry().toPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(250));
            assertThat(properties.getRetry().toPolicy().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void defaultsAreTheEnginesOwn() {
        runner.run(context -> {
            WeftProperties properties = context.getBean(WeftProperties.class);
            assertThat(properties.getLease()).isEqualTo(WeftEngine.DEFAULT_LEASE);
            assertThat(properties.getRetry().toPolicy()).isEqualTo(dev.weft.retry.RetryPolicy.defaults());
            assertThat(context.getBean(WeftJdbcProperties.class).getInitializeSchema())
                    .isEqualTo(org.springframework.boot.sql.init.DatabaseInitializationMode.EMBEDDED);
        });
    }

    @Test
    void appliesCustomizersInOrder() {
        runner.withPropertyValues("weft.node-id=from-properties").withUserConfiguration(Customizers.class).run(context ->
                assertThat(context.getBean(WeftEngine.class).nodeId()).isEqualTo("customized-second"));
    }

    @Test
    void failsStartUpOnDuplicateActivityNames() {
        runner.withUserConfiguration(DuplicateActivities.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(weftFailure(context.getStartupFailure())).hasMessageContaining("Duplicate activity name 'charge'")
                    .hasMessageContaining(FirstPayments.class.getName() + ".charge(String)")
                    .hasMessageContaining(SecondPayments.class.getName() + ".pay(String)");
        });
    }

    @Test
    void failsStartUpOnAMethodWithTwoPayloads() {
        runner.withUserConfiguration(TwoPayloads.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(weftFailure(context.getStartupFailure()))
                    .hasMessageContaining(TwoPayloadActivity.class.getName() + ".ship(String, int)")
                    .hasMessageContaining("has two payload parameters");
        });
    }

    @Test
    void failsStartUpOnAnUnreadableDuration() {
        runner.withUserConfiguration(BadDuration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(weftFailure(context.getStartupFailure()))
                    .hasMessageContaining(BadDurationActivity.class.getName() + ".call()")
                    .hasMessageContaining("timeout = 'soon'");
        });
    }

    /** The Weft exception among the causes of a start-up failure: the message a user reads. */
    private static Throwable weftFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof dev.weft.failure.WeftException) {
                return cause;
            }
        }
        return failure;
    }

    private static long rows(DataSource dataSource, String table) {
        return JdbcClient.create(dataSource).sql("select count(*) from " + table).query(Long.class).single();
    }

    static boolean tableExists(DataSource dataSource, String table) {
        return JdbcClient.create(dataSource)
                .sql("select count(*) from information_schema.tables where lower(table_name) = :name")
                .param("name", table).query(Long.class).single() > 0;
    }

    static DataSource h2(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return dataSource;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEngine {
        @Bean
        WeftEngine ownEngine(DataSource dataSource) {
            JdbcSchemaInitializer.initialize(dataSource, JdbcDialect.H2, "weft_");
            return WeftEngine.builder().store(JdbcWorkflowStore.builder(dataSource).build()).nodeId("own-engine").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        @Bean
        JdbcWorkflowStore ownStore(DataSource dataSource) {
            return JdbcWorkflowStore.builder(dataSource).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SchemaManagedElsewhere {
        /** Stands in for Flyway: creates the tables under the prefix the application chose. */
        @Bean
        Object migrations(DataSource dataSource) {
            JdbcSchemaInitializer.initialize(dataSource, JdbcDialect.H2, "managed_");
            return "migrated";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {
        @Bean
        @Primary
        DataSource mainDataSource() {
            return h2("main");
        }

        @Bean
        @WeftDataSource
        DataSource weftOnly() {
            return h2("weft");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        @org.springframework.core.annotation.Order(2)
        WeftEngineCustomizer second() {
            return builder -> builder.nodeId("customized-second");
        }

        @Bean
        @org.springframework.core.annotation.Order(1)
        WeftEngineCustomizer first() {
            return builder -> builder.nodeId("customized-first");
        }
    }

    public static class FirstPayments {
        @Activity
        public String charge(String order) {
            return order;
        }
    }

    public static class SecondPayments {
        @Activity(name = "${payments.name:charge}")
        public String pay(String order) {
            return order;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateActivities {
        @Bean
        FirstPayments firstPayments() {
            return new FirstPayments();
        }

        @Bean
        SecondPayments secondPayments() {
            return new SecondPayments();
        }
    }

    public static class TwoPayloadActivity {
        @Activity
        public String ship(String order, int parcels) {
            return order + parcels;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoPayloads {
        @Bean
        TwoPayloadActivity twoPayloadActivity() {
            return new TwoPayloadActivity();
        }
    }

    public static class BadDurationActivity {
        @Activity(timeout = "soon")
        public void call() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadDuration {
        @Bean
        BadDurationActivity badDurationActivity() {
            return new BadDurationActivity();
        }
    }
}
