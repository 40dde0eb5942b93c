package dev.weft.spring.boot.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.WeftEngine;
import dev.weft.client.wire.TaskQueueView;
import dev.weft.spring.QueuedMail;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint;
import dev.weft.spring.boot.actuate.endpoint.WeftQueuesEndpoint;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code weftqueues} endpoint on H2: what each queue holds and how this node serves it, one
 * queue by name, and its own exposure and access, apart from the {@code weft} endpoint's.
 */
class WeftQueuesEndpointTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class,
                    WeftAutoConfiguration.class, WeftEndpointAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0", "spring.datasource.url=jdbc:h2:mem:endpoint-queues-" + System.nanoTime())
            .withUserConfiguration(QueuedMail.Beans.class);

    private final ApplicationContextRunner exposed = runner.withPropertyValues("management.endpoints.web.exposure.include=weftqueues");

    @Test
    void listsAWaitingTaskWithItsAgeOnAQueueThisNodeDoesNotServe() {
        exposed.withPropertyValues("weft.worker.queues=reports").run(context -> {
            WeftQueuesEndpoint endpoint = context.getBean(WeftQueuesEndpoint.class);
            context.getBean(WeftEngine.class).start("notifyUser", "ada");

            await().atMost(Duration.ofSeconds(30)).until(() -> mail(endpoint).depth() == 1);

            TaskQueueView mail = mail(endpoint);
            assertThat(mail.inFlight()).isZero();
            assertThat(mail.oldestWaitingMillis()).isNotNull().isNotNegative();
            assertThat(mail.expiredClaims()).isZero();
            assertThat(mail.servedHere()).isFalse();
            assertThat(mail.runningHere()).isZero();
            assertThat(mail.claimedHere()).isZero();
            assertThat(mail.paused()).isFalse();
            assertThat(endpoint.queues().items()).extracting(TaskQueueView::name).containsExactly("mail");
        });
    }

    @Test
    void countsTheClaimsOfThisNodeOnAQueueItServesAndShowsItsSettings() {
        exposed.withPropertyValues("weft.queues.mail.max-in-flight=5").run(context -> {
            WeftQueuesEndpoint endpoint = context.getBean(WeftQueuesEndpoint.class);

            Object result = context.getBean(WeftEngine.class).start("notifyUser", "bo").result(Duration.ofSeconds(30));

            assertThat(result).isEqualTo("sent to bo");
            TaskQueueView mail = endpoint.queue("mail");
            assertThat(mail).isNotNull();
            assertThat(mail.servedHere()).isTrue();
            assertThat(mail.claimedHere()).isEqualTo(1);
            assertThat(mail.depth()).isZero();
            assertThat(mail.oldestWaitingMillis()).as("none waits").isNull();
            assertThat(mail.maxInFlight()).isEqualTo(5);
        });
    }

    @Test
    void showsAPausedQueueByNameAndNothingForANameNoQueueHas() {
        exposed.run(context -> {
            WeftQueuesEndpoint endpoint = context.getBean(WeftQueuesEndpoint.class);
            context.getBean(WeftEngine.class).queues().pause("mail");

            assertThat(endpoint.queue("mail")).isNotNull().satisfies(mail -> assertThat(mail.paused()).isTrue());
            assertThat(endpoint.queue("no-such-queue")).isNull();
        });
    }

    @Test
    void refusesANameThatCannotBeAQueueNamingTheRule() {
        exposed.run(context -> assertThatThrownBy(() -> context.getBean(WeftQueuesEndpoint.class).queue("bad.name"))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessage("'bad.name' is not a queue name: a queue name is 1 to 100 letters, digits, '_' or '-'"));
    }

    @Test
    void isExposedApartFromTheRunsEndpoint() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WeftQueuesEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=weft")
                .run(context -> assertThat(context).hasSingleBean(WeftEndpoint.class).doesNotHaveBean(WeftQueuesEndpoint.class));
        exposed.run(context -> assertThat(context).hasSingleBean(WeftQueuesEndpoint.class).doesNotHaveBean(WeftEndpoint.class));
    }

    @Test
    void isAbsentWhenAccessIsNoneOrActuatorIsMissing() {
        exposed.withPropertyValues("management.endpoint.weftqueues.access=NONE")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WeftQueuesEndpoint.class));
        exposed.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(WeftEngine.class).doesNotHaveBean(WeftQueuesEndpoint.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwn() {
        exposed.withUserConfiguration(OwnEndpoint.class)
                .run(context -> assertThat(context).hasSingleBean(WeftQueuesEndpoint.class).hasBean("ownQueuesEndpoint"));
    }

    private static TaskQueueView mail(WeftQueuesEndpoint endpoint) {
        return endpoint.queues().items().stream().filter(queue -> queue.name().equals("mail")).findFirst()
                .orElseThrow(() -> new AssertionError("no queue mail in " + endpoint.queues()));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoint {
        @Bean
        WeftQueuesEndpoint ownQueuesEndpoint(WeftEngine engine) {
            return new WeftQueuesEndpoint(engine);
        }
    }
}
