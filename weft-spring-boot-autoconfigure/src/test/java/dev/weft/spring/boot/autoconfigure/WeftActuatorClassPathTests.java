package dev.weft.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WeftEngine;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint;
import dev.weft.spring.boot.actuate.health.WeftHealthIndicator;
import dev.weft.spring.boot.actuate.metrics.WeftMetrics;
import dev.weft.spring.boot.actuate.observation.WeftObservationListener;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every auto-configuration this module lists, with and without Actuator and Micrometer on the class path. */
class WeftActuatorClassPathTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class))
            .withConfiguration(AutoConfigurations.of(listed()))
            .withPropertyValues("weft.adoption-interval=0", "management.endpoints.web.exposure.include=weft");

    @Test
    void definesEveryActuatorPieceWhenItsClassesAndRegistriesArePresent() {
        runner.withUserConfiguration(Registries.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(WeftHealthIndicator.class).hasSingleBean(WeftMetrics.class)
                    .hasSingleBean(WeftObservationListener.class).hasSingleBean(WeftEndpoint.class);
        });
    }

    @Test
    void startsTheEngineAloneWithNoActuatorNorMicrometerClasses() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health",
                "org.springframework.boot.micrometer", "io.micrometer")).run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(WeftEngine.class);
                    assertThat(context).doesNotHaveBean("weftHealthIndicator").doesNotHaveBean("weftMetrics")
                            .doesNotHaveBean("weftObservationListener").doesNotHaveBean("weftEndpoint");
                });
    }

    private static Class<?>[] listed() {
        List<Class<?>> classes = new ArrayList<>();
        ImportCandidates.load(AutoConfiguration.class, WeftActuatorClassPathTests.class.getClassLoader()).forEach(name -> {
            if (name.startsWith("dev.weft.")) {
                try {
                    classes.add(Class.forName(name));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return classes.toArray(Class<?>[]::new);
    }

    @Configuration(proxyBeanMethods = false)
    static class Registries {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        ObservationRegistry observationRegistry() {
            return ObservationRegistry.create();
        }
    }
}
