package dev.weft.spring.boot.autoconfigure.observation;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.spring.WeftClient;
import dev.weft.spring.boot.actuate.Greetings;
import dev.weft.spring.boot.actuate.observation.WeftObservationListener;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class WeftObservationAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class,
                    WeftAutoConfiguration.class, WeftObservationAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0", "weft.park-after=1d")
            .withUserConfiguration(Greetings.Beans.class);

    @Test
    void observesARunAndEachActivityAttemptWithinIt() {
        runner.withUserConfiguration(Registry.class).run(context -> {
            assertThat(context).hasSingleBean(WeftObservationListener.class);
            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);

            WorkflowHandle<Object> run = context.getBean(WeftClient.class).start("greet", "flaky-Ann");
            run.result(Duration.ofSeconds(10));

            assertThat(registry).hasObservationWithNameEqualTo(WeftObservationListener.WORKFLOW).that()
                    .hasContextualNameEqualTo("workflow greet")
                    .hasLowCardinalityKeyValue("workflow.type", "greet")
                    .hasLowCardinalityKeyValue("outcome", "completed")
                    .hasHighCardinalityKeyValue("workflow.id", run.id())
                    .doesNotHaveLowCardinalityKeyValueWithKey("workflow.id")
                    .hasBeenStarted().hasBeenStopped();
            assertThat(registry).hasNumberOfObservationsWithNameEqualTo(WeftObservationListener.ACTIVITY, 2);
            Predicate<Observation.ContextView> isRun = parent -> parent.getName().equals(WeftObservationListener.WORKFLOW);
            assertThat(registry).forAllObservationsWithNameEqualTo(WeftObservationListener.ACTIVITY, attempt -> attempt
                    .hasContextualNameEqualTo("activity write")
                    .hasLowCardinalityKeyValue("activity.name", "write")
                    .hasHighCardinalityKeyValue("workflow.id", run.id())
                    .hasHighCardinalityKeyValue("activity.seq", "1")
                    .hasParentObservationContextMatching(isRun));
            assertThat(registry).hasAnObservation(attempt -> attempt.hasNameEqualTo(WeftObservationListener.ACTIVITY)
                    .hasLowCardinalityKeyValue("outcome", "retry")
                    .hasLowCardinalityKeyValue("error.type", "IllegalStateException")
                    .hasHighCardinalityKeyValue("activity.attempt", "1"));
            assertThat(registry).hasAnObservation(attempt -> attempt.hasNameEqualTo(WeftObservationListener.ACTIVITY)
                    .hasLowCardinalityKeyValue("outcome", "success")
                    .hasHighCardinalityKeyValue("activity.attempt", "2"));
        });
    }

    @Test
    void stopsTheObservationOfAFailedRunWithTheErrorType() {
        runner.withUserConfiguration(Registry.class).run(context -> {
            TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
            WorkflowHandle<Object> run = context.getBean(WeftClient.class).start("greet", "bad-Bo");
            try {
                run.result(Duration.ofSeconds(10));
            } catch (RuntimeException expected) {
                // fails on purpose
            }

            assertThat(registry).hasObservationWithNameEqualTo(WeftObservationListener.WORKFLOW).that()
                    .hasLowCardinalityKeyValue("outcome", "failed").hasBeenStopped();
            assertThat(registry).hasObservationWithNameEqualTo(WeftObservationListener.ACTIVITY).that()
                    .hasLowCardinalityKeyValue("outcome", "failure")
                    .hasLowCardinalityKeyValue("error.type", "IllegalArgumentException");
        });
    }

    @Test
    void isAbsentWithoutAnObservationRegistry() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WeftObservationListener.class));
    }

    @Test
    void isAbsentWithoutMicrometerOnTheClassPath() {
        runner.withUserConfiguration(Registry.class).withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(WeftEngine.class)
                        .doesNotHaveBean(WeftObservationListener.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwn() {
        runner.withUserConfiguration(Registry.class, OwnListener.class)
                .run(context -> assertThat(context).hasSingleBean(WeftObservationListener.class).hasBean("ownListener"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        TestObservationRegistry observationRegistry() {
            return TestObservationRegistry.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnListener {
        @Bean
        WeftObservationListener ownListener(ObservationRegistry registry) {
            return new WeftObservationListener(registry);
        }
    }
}
