package dev.weft.spring.boot.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.spring.WeftClient;
import dev.weft.spring.boot.actuate.Greetings;
import dev.weft.spring.boot.actuate.metrics.WeftMetrics;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class WeftMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class,
                    WeftAutoConfiguration.class, WeftMetricsAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0", "weft.park-after=1d")
            .withUserConfiguration(Greetings.Beans.class);

    @Test
    void countsRunsAttemptsAndCommitsByTypeAndNameOnly() {
        runner.withUserConfiguration(Registry.class).run(context -> {
            assertThat(context).hasSingleBean(WeftMetrics.class);
            WeftClient client = context.getBean(WeftClient.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            WorkflowHandle<Object> flaky = client.start("greet", "flaky-Ann");
            assertThat(flaky.result(Duration.ofSeconds(10))).isEqualTo("Hello, flaky-Ann");
            WorkflowHandle<Object> bad = client.start("greet", "bad-Bo");
            assertThatThrownBy(() -> bad.result(Duration.ofSeconds(10))).hasMessageContaining("no letters for bad-Bo");
            WorkflowHandle<Object> waiting = client.start("waitAnHour", "Cy");
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("weft.workflows.active").gauge().value() == 1.0);
            client.cancel(waiting.id());
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("weft.workflows.cancelled").counter() != null);

            assertThat(count(registry, "weft.workflows.started", WeftMetrics.WORKFLOW_TYPE, "greet")).isEqualTo(2);
            assertThat(count(registry, "weft.workflows.started", WeftMetrics.WORKFLOW_TYPE, "waitAnHour")).isEqualTo(1);
            assertThat(count(registry, "weft.workflows.completed", WeftMetrics.WORKFLOW_TYPE, "greet")).isEqualTo(1);
            assertThat(count(registry, "weft.workflows.failed", WeftMetrics.WORKFLOW_TYPE, "greet")).isEqualTo(1);
            assertThat(count(registry, "weft.workflows.cancelled", WeftMetrics.WORKFLOW_TYPE, "waitAnHour")).isEqualTo(1);
            assertThat(count(registry, "weft.activity.attempts", WeftMetrics.ACTIVITY_NAME, "write")).isEqualTo(3);
            assertThat(count(registry, "weft.activity.retries", WeftMetrics.ACTIVITY_NAME, "write")).isEqualTo(1);
            for (String outcome : List.of("success", "retry", "failure")) {
                assertThat(registry.get("weft.activity.duration").tags(WeftMetrics.ACTIVITY_NAME, "write", WeftMetrics.OUTCOME, outcome)
                        .timer().count()).as(outcome).isEqualTo(1);
            }
            assertThat(registry.get("weft.checkpoint.commit").timer().count()).isPositive();
            assertThat(registry.get("weft.checkpoint.batch.size").summary().totalAmount()).isPositive();
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("weft.workflows.active").gauge().value() == 0.0);

            List<String> runIds = List.of(flaky.id(), bad.id(), waiting.id());
            for (Meter meter : registry.getMeters()) {
                assertThat(meter.getId().getName()).startsWith("weft.");
                for (Tag tag : meter.getId().getTags()) {
                    assertThat(tag.getKey()).as(meter.getId().toString()).doesNotContainIgnoringCase("id");
                    assertThat(runIds).as(meter.getId().toString()).doesNotContain(tag.getValue());
                }
            }
        });
    }

    @Test
    void isAbsentWithoutAMeterRegistry() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WeftMetrics.class));
    }

    @Test
    void isAbsentWithoutMicrometerOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(WeftEngine.class).doesNotHaveBean(WeftMetrics.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwn() {
        runner.withUserConfiguration(Registry.class, OwnMetrics.class)
                .run(context -> assertThat(context).hasSingleBean(WeftMetrics.class).hasBean("ownMetrics"));
    }

    private static double count(MeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMetrics {
        @Bean
        WeftMetrics ownMetrics(MeterRegistry registry) {
            return new WeftMetrics(registry, () -> 0);
        }
    }
}
