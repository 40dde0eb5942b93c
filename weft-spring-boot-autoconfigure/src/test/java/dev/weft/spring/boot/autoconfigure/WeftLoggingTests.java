package dev.weft.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.LogCategories;
import dev.weft.spring.Activity;
import dev.weft.spring.WeftClient;
import dev.weft.spring.Workflow;
import dev.weft.spring.boot.actuate.Greetings;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What a Spring application's log shows of Weft: the start-up line of a node and development mode's warnings. */
class WeftLoggingTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class, WeftAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0");

    private final Logger engineLog = (Logger) LoggerFactory.getLogger(LogCategories.ENGINE);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void captureTheEngineCategory() {
        previousLevel = engineLog.getLevel();
        engineLog.setLevel(Level.INFO);
        lines.start();
        engineLog.addAppender(lines);
    }

    @AfterEach
    void restore() {
        engineLog.detachAppender(lines);
        engineLog.setLevel(previousLevel);
    }

    private List<String> messages(Level level) {
        return List.copyOf(lines.list).stream().filter(event -> event.getLevel().equals(level)).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void eachNodeStartsWithOneLineNamingItsDatabaseSchemaWorkflowsAndActivities() {
        String url = "jdbc:h2:mem:weft-logging-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        ApplicationContextRunner node = runner.withUserConfiguration(Greetings.Beans.class)
                .withPropertyValues("spring.datasource.url=" + url, "weft.jdbc.initialize-schema=always");

        node.withPropertyValues("weft.node-id=first").run(context -> assertThat(context).hasNotFailed());
        node.withPropertyValues("weft.node-id=second").run(context -> assertThat(context).hasNotFailed());

        assertThat(messages(Level.INFO)).filteredOn(line -> line.contains(" started ")).containsExactly(
                "Weft node first started on h2 (table prefix weft_), schema created; workflows [greet, waitAnHour]; activities [write]; "
                        + "took up 0 unfinished runs",
                "Weft node second started on h2 (table prefix weft_), schema found; workflows [greet, waitAnHour]; activities [write]; "
                        + "took up 0 unfinished runs");
    }

    @Test
    void aNodeWhoseSchemaIsManagedElsewhereSaysSo() {
        // the application's own migrations made the tables; here, a first node standing in for them
        String url = "jdbc:h2:mem:weft-managed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        runner.withPropertyValues("spring.datasource.url=" + url, "weft.jdbc.initialize-schema=always")
                .run(context -> assertThat(context).hasNotFailed());

        runner.withPropertyValues("spring.datasource.url=" + url, "weft.node-id=managed", "weft.jdbc.initialize-schema=never",
                "weft.worker.enabled=false").run(context -> assertThat(context).hasNotFailed());

        assertThat(messages(Level.INFO)).contains("Weft node managed started client-only (weft.worker.enabled=false) on h2 "
                + "(table prefix weft_), schema left to the application (weft.jdbc.initialize-schema): it drives no runs");
    }

    @Test
    void developmentModeWarnsOfAWorkflowThatCallsItsOwnActivityOnThisNamingTheMethod() {
        runner.withUserConfiguration(SelfInvokingBeans.class).withPropertyValues("weft.development-mode=true").run(context -> {
            WeftClient client = context.getBean(WeftClient.class);

            assertThat(client.start("process", "ada").result(Duration.ofSeconds(10))).isEqualTo("charged ada");

            assertThat(messages(Level.WARN)).singleElement().asString()
                    .contains("Workflow 'process' (" + SelfInvoking.class.getName() + ".process(String)) completed without any durable "
                            + "operation")
                    .contains("self-invocation");
        });
    }

    @Test
    void withoutDevelopmentModeTheSameWorkflowRunsSilently() {
        runner.withUserConfiguration(SelfInvokingBeans.class).run(context -> {
            assertThat(context.getBean(WeftClient.class).start("process", "bo").result(Duration.ofSeconds(10))).isEqualTo("charged bo");

            assertThat(messages(Level.WARN)).isEmpty();
        });
    }

    /** A workflow that calls its own activity on {@code this}: no proxy sees the call, so nothing is recorded. */
    public static class SelfInvoking {

        @Workflow
        public String process(String name) {
            return charge(name);
        }

        @Activity
        public String charge(String name) {
            return "charged " + name;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SelfInvokingBeans {

        @Bean
        SelfInvoking selfInvoking() {
            return new SelfInvoking();
        }
    }
}
