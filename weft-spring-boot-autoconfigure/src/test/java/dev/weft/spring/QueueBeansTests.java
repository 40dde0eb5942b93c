package dev.weft.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.WorkflowStatus;
import dev.weft.queue.QueueInfo;
import dev.weft.spring.QueuedMail.Mailer;
import dev.weft.spring.boot.autoconfigure.WeftAutoConfiguration;
import dev.weft.spring.boot.autoconfigure.WeftJdbcAutoConfiguration;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code @Activity(queue = ...)} with Spring Boot on H2: the queue an activity names is served by
 * the node, {@code weft.queues.<name>.*} sets its concurrency and cluster-wide limits,
 * {@code weft.worker.queues} limits what a node serves, and bad settings stop the start naming them.
 */
class QueueBeansTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0", "spring.datasource.url=jdbc:h2:mem:queues-" + System.nanoTime())
            .withUserConfiguration(QueuedMail.Beans.class);

    private static QueueInfo mailQueue(WeftEngine engine) {
        return engine.queues().list().stream().filter(queue -> queue.name().equals("mail")).findFirst().orElseThrow();
    }

    @Test
    void theQueueAnActivityNamesIsServedWithTheLimitsOfItsProperties() {
        runner.withPropertyValues("weft.queues.mail.concurrency=3", "weft.queues.mail.max-in-flight=5",
                "weft.queues.mail.rate-limit=50", "weft.queues.mail.rate-period=1s", "weft.queues.mail.fair=true").run(context -> {
            assertThat(context).hasNotFailed();
            WeftEngine engine = context.getBean(WeftEngine.class);

            WorkflowHandle<Object> run = engine.start("notifyUser", "ada");

            assertThat(run.result(Duration.ofSeconds(30))).isEqualTo("sent to ada");
            assertThat(context.getBean(Mailer.class).threads()).singleElement().asString().startsWith("weft-task-mail");
            QueueInfo mail = mailQueue(engine);
            assertThat(mail.servedHere()).isTrue();
            assertThat(mail.maxInFlight()).isEqualTo(5);
            assertThat(mail.rateLimit()).isEqualTo(50);
            assertThat(mail.fair()).isTrue();
            assertThat(mail.claimedHere()).isEqualTo(1);
        });
    }

    @Test
    void aNodeServesOnlyTheQueuesItsWorkerPropertyNames() {
        runner.withPropertyValues("weft.worker.queues=reports").run(context -> {
            assertThat(context).hasNotFailed();
            WeftEngine engine = context.getBean(WeftEngine.class);

            WorkflowHandle<Object> run = engine.start("notifyUser", "bo");

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> mailQueue(engine).depth() == 1);
            assertThat(mailQueue(engine).servedHere()).isFalse();
            assertThat(run.status()).isEqualTo(WorkflowStatus.RUNNING);
            assertThat(context.getBean(Mailer.class).threads()).isEmpty();
        });
    }

    @Test
    void badQueueSettingsStopTheStartNamingTheSetting() {
        runner.withPropertyValues("weft.queues.mail.concurrency=0").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("weft.queues.mail").hasMessageContaining("concurrency"));
        runner.withPropertyValues("weft.queues.mail.rate-limit=-1").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("rate limit"));
        runner.withPropertyValues("weft.worker.queues=bad.name").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("bad.name"));
    }
}
