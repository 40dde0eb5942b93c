package dev.weft.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.WeftEngine;
import dev.weft.spring.WeftClient;
import dev.weft.spring.boot.actuate.Greetings;
import dev.weft.spring.boot.actuate.health.RemoteWorkerHealth;
import dev.weft.spring.boot.actuate.health.WeftHealthIndicator;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import dev.weft.spring.remote.RemoteWorkerHub;
import dev.weft.spring.remote.RemoteWorkerSettings;
import dev.weft.store.WorkflowStore;
import dev.weft.store.jdbc.JdbcWorkflowStore;
import dev.weft.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class WeftHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class,
                    WeftAutoConfiguration.class, WeftHealthContributorAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0", "weft.park-after=1d", "weft.node-id=node-a")
            .withUserConfiguration(Greetings.Beans.class);

    @Test
    void reportsUpWithTheStateOfTheNodeAndTheDatabase() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(WeftHealthIndicator.class).hasBean("weftHealthIndicator");
            context.getBean(WeftClient.class).start("greet", "Ann").result(Duration.ofSeconds(10));
            context.getBean(WeftClient.class).start("waitAnHour", "Bob");

            Health health = context.getBean(WeftHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("nodeId", "node-a").containsEntry("worker", true)
                    .containsEntry("store", "reachable").containsEntry("leaseRenewal", "healthy")
                    .containsEntry("activeRuns", 1).containsEntry("runningRuns", 1L).containsEntry("overdueRuns", 0L)
                    .containsEntry("overdueAfter", "PT30S");
            assertThat(health.getDetails().get("databaseTime")).isInstanceOf(Instant.class);
        });
    }

    @Test
    void countsOverdueRunsAfterTheConfiguredTimeAsADetailOnly() {
        runner.withPropertyValues("weft.health.overdue-after=0s").run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            // a run whose owner died: its lease lapsed and no node took it up
            org.springframework.jdbc.core.simple.JdbcClient.create(dataSource).sql("""
                    insert into weft_run (id, type, status, input, owner, epoch, lease_expires_at, created_at, updated_at)
                    values ('orphan', 'greet', 'running', '"Zoe"', 'dead-node', 1, timestamp with time zone '2020-01-01 00:00:00+00',
                            current_timestamp, current_timestamp)""").update();

            Health health = context.getBean(WeftHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("overdueRuns", 1L).containsEntry("overdueAfter", "PT0S");
        });
    }

    @Test
    void reportsDownWithTheErrorWhenTheStoreIsUnreachable() {
        runner.withUserConfiguration(FaultyStore.class).run(context -> {
            context.getBean(Greetings.Faults.class).fail("databaseTime");

            Health health = context.getBean(WeftHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("nodeId", "node-a").doesNotContainKey("store");
            assertThat((String) health.getDetails().get("error")).contains("database unreachable (databaseTime)");
        });
    }

    @Test
    void reportsDownWhileLeasesCannotBeRenewed() {
        runner.withUserConfiguration(FaultyStore.class).withPropertyValues("weft.lease-renew-interval=50ms").run(context -> {
            WeftEngine engine = context.getBean(WeftEngine.class);
            context.getBean(WeftClient.class).start("waitAnHour", "Cy");
            Greetings.Faults faults = context.getBean(Greetings.Faults.class);
            faults.fail("renewLeases");
            await().atMost(Duration.ofSeconds(10)).until(engine::isLeaseRenewalFailing);

            Health health = context.getBean(WeftHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("leaseRenewal", "failing").containsEntry("store", "reachable");

            faults.heal();
            await().atMost(Duration.ofSeconds(10)).until(() -> !engine.isLeaseRenewalFailing());
            assertThat(context.getBean(WeftHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void onANodeWithARemoteWorkerEndpointCountsItsWorkers() {
        runner.withUserConfiguration(Hub.class).withPropertyValues("weft.health.remote-worker-heartbeat-after=5s").run(context -> {
            Health health = context.getBean(WeftHealthIndicator.class).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("remoteWorkers", Map.of("connected", 0, "reconnecting", 0, "inFlight", 0,
                    "availableCapacity", 0, "oldestHeartbeatAge", "PT0S")).containsEntry("remoteWorkerHeartbeat", "ok");
        });
    }

    @Test
    void withoutARemoteWorkerEndpointHasNoRemoteWorkerDetails() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(RemoteWorkerHealth.class);
            assertThat(context.getBean(WeftHealthIndicator.class).health().getDetails()).doesNotContainKeys("remoteWorkers",
                    "remoteWorkerHeartbeat");
        });
    }

    @Test
    void withoutTheWorkerProtocolOnTheClassPathHasNoRemoteWorkerDetails() {
        runner.withClassLoader(new FilteredClassLoader("dev.weft.worker")).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RemoteWorkerHealth.class);
            assertThat(context.getBean(WeftHealthIndicator.class).health().getDetails()).doesNotContainKey("remoteWorkers");
        });
    }

    @Test
    void refusesARemoteWorkerHeartbeatThresholdThatIsNotPositive() {
        runner.withUserConfiguration(Hub.class).withPropertyValues("weft.health.remote-worker-heartbeat-after=0s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("weft.health.remote-worker-heartbeat-after must be positive"));
    }

    @Test
    void isAbsentWhenDisabled() {
        runner.withPropertyValues("management.health.weft.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("weftHealthIndicator"));
    }

    @Test
    void isAbsentWhenHealthDefaultsAreDisabled() {
        runner.withPropertyValues("management.health.defaults.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("weftHealthIndicator"));
    }

    @Test
    void isAbsentWithoutBootsHealthSupportOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(WeftEngine.class)
                        .doesNotHaveBean("weftHealthIndicator"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwn() {
        runner.withUserConfiguration(OwnIndicator.class).run(context -> {
            assertThat(context).doesNotHaveBean(WeftHealthIndicator.class);
            assertThat(context.getBean("weftHealthIndicator", HealthIndicator.class).health().getStatus()).isEqualTo(Status.UNKNOWN);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class FaultyStore {
        @Bean
        Greetings.Faults faults() {
            return new Greetings.Faults();
        }

        @Bean
        WorkflowStore faultyStore(DataSource dataSource, Greetings.Faults faults) {
            return Greetings.faulty(JdbcWorkflowStore.builder(dataSource).build(), faults);
        }
    }

    /** A remote worker endpoint's hub, as {@code WeftWorkerEndpointAutoConfiguration} defines it in a web application. */
    @Configuration(proxyBeanMethods = false)
    static class Hub {
        @Bean(destroyMethod = "close")
        RemoteWorkerHub weftRemoteWorkerHub(WeftEngine engine) {
            return new RemoteWorkerHub(engine.taskBroker(), TimeSource.system(), RemoteWorkerSettings.defaults());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnIndicator {
        @Bean
        HealthIndicator weftHealthIndicator() {
            return () -> Health.unknown().build();
        }
    }
}
