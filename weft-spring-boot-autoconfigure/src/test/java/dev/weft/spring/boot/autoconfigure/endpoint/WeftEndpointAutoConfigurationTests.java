package dev.weft.spring.boot.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.WeftEngine;
import dev.weft.WorkflowHandle;
import dev.weft.WorkflowStatus;
import dev.weft.spring.WeftClient;
import dev.weft.spring.boot.actuate.Greetings;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint.RunDetail;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint.RunPage;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint.RunSummary;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpoint.Step;
import dev.weft.spring.boot.actuate.endpoint.WeftEndpointWebExtension;
import dev.weft.client.PageRequest;
import java.security.Principal;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
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

class WeftEndpointAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, WeftJdbcAutoConfiguration.class,
                    WeftAutoConfiguration.class, WeftEndpointAutoConfiguration.class))
            .withPropertyValues("weft.adoption-interval=0", "weft.park-after=1d")
            .withUserConfiguration(Greetings.Beans.class);

    private final ApplicationContextRunner exposed = runner.withPropertyValues("management.endpoints.web.exposure.include=weft");

    @Test
    void listsRunsNewestFirstFilteredByStatusAndTypeAPageAtATime() {
        exposed.run(context -> {
            WeftEndpoint endpoint = context.getBean(WeftEndpoint.class);
            WeftClient client = context.getBean(WeftClient.class);
            String ann = finish(client.start("greet", "Ann"));
            String bo = finish(client.start("greet", "bad-Bo"));
            String cy = client.start("waitAnHour", "Cy").id();
            String dee = finish(client.start("greet", "Dee"));

            RunPage all = endpoint.runs(null, null, null, null, null, null);
            assertThat(all.total()).isEqualTo(4);
            assertThat(all.offset()).isZero();
            assertThat(all.limit()).isEqualTo(PageRequest.DEFAULT_LIMIT);
            assertThat(all.items()).extracting(RunSummary::id).containsExactly(dee, cy, bo, ann);

            RunPage failed = endpoint.runs("failed", null, null, null, null, null);
            assertThat(failed.total()).isEqualTo(1);
            RunSummary failure = failed.items().getFirst();
            assertThat(failure.id()).isEqualTo(bo);
            assertThat(failure.status()).isEqualTo("failed");
            assertThat(failure.completedAt()).isNotNull();
            assertThat(failure.failure()).isNotNull();
            assertThat(failure.failure().message()).contains("no letters for bad-Bo");
            assertThat(failure.failure().category()).isEqualTo("application");

            RunPage running = endpoint.runs("RUNNING", "waitAnHour", null, null, null, null);
            assertThat(running.items()).singleElement().satisfies(run -> {
                assertThat(run.id()).isEqualTo(cy);
                assertThat(run.owner()).isEqualTo(context.getBean(WeftEngine.class).nodeId());
                assertThat(run.completedAt()).isNull();
            });
            assertThat(endpoint.runs("completed, failed", "greet", null, null, null, null).total()).isEqualTo(3);

            RunPage second = endpoint.runs(null, "greet", null, null, 1, 2);
            assertThat(second.total()).isEqualTo(3);
            assertThat(second.offset()).isEqualTo(2);
            assertThat(second.limit()).isEqualTo(2);
            assertThat(second.items()).extracting(RunSummary::id).containsExactly(ann);
            RunPage byOffset = endpoint.runs(null, null, 1, 2, null, null);
            assertThat(byOffset.offset()).isEqualTo(1);
            assertThat(byOffset.items()).extracting(RunSummary::id).containsExactly(cy, bo);
            assertThat(endpoint.runs(null, null, null, null, 5, 2).items()).isEmpty();
        });
    }

    @Test
    void refusesUnknownStatusesAndBadPagesWithAClearMessage() {
        exposed.run(context -> {
            WeftEndpoint endpoint = context.getBean(WeftEndpoint.class);
            assertThatThrownBy(() -> endpoint.runs("done", null, null, null, null, null)).isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessage("Unknown status 'done': expected one of running, queued, suspended, completed, failed, cancelled, timed_out");
            assertThatThrownBy(() -> endpoint.runs(null, null, null, PageRequest.MAX_LIMIT + 1, null, null))
                    .isInstanceOf(InvalidEndpointRequestException.class).hasMessage("limit must be between 1 and 1000, was 1001");
            assertThatThrownBy(() -> endpoint.runs(null, null, -1, null, null, null))
                    .isInstanceOf(InvalidEndpointRequestException.class).hasMessage("offset must be between 0 and 2147483647, was -1");
            assertThatThrownBy(() -> endpoint.runs(null, null, null, null, -1, null))
                    .isInstanceOf(InvalidEndpointRequestException.class).hasMessage("page must be between 0 and 42949672, was -1");
            assertThatThrownBy(() -> endpoint.runs(null, null, null, null, null, 0))
                    .isInstanceOf(InvalidEndpointRequestException.class).hasMessage("size must be between 1 and 1000, was 0");
            assertThatThrownBy(() -> endpoint.runs(null, null, 0, null, 1, null))
                    .isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessage("Use either page and size or offset and limit, not both");
        });
    }

    @Test
    void showsARunWithItsStepsAttemptsAndErrors() {
        exposed.withPropertyValues("management.endpoint.weft.show-values=always").run(context -> {
            WeftEndpoint endpoint = context.getBean(WeftEndpoint.class);
            WeftClient client = context.getBean(WeftClient.class);
            String flaky = finish(client.start("greet", "flaky-Eve"));
            String bad = finish(client.start("greet", "bad-Fay"));

            RunDetail run = endpoint.run(flaky);
            assertThat(run).isNotNull();
            assertThat(run.status()).isEqualTo("completed");
            assertThat(run.input()).isEqualTo("\"flaky-Eve\"");
            assertThat(run.result()).isEqualTo("\"Hello, flaky-Eve\"");
            assertThat(run.steps()).singleElement().satisfies(step -> {
                assertThat(step.seq()).isEqualTo(1);
                assertThat(step.kind()).isEqualTo("activity");
                assertThat(step.name()).isEqualTo("write");
                assertThat(step.state()).isEqualTo("completed");
                assertThat(step.attempt()).isEqualTo(2);
                assertThat(step.result()).isEqualTo("\"Hello, flaky-Eve\"");
                assertThat(step.failure()).isNull();
            });

            Step failedStep = endpoint.run(bad).steps().getFirst();
            assertThat(failedStep.state()).isEqualTo("failed");
            assertThat(failedStep.failure()).isNotNull();
            assertThat(failedStep.failure().type()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(failedStep.failure().message()).isEqualTo("no letters for bad-Fay");
            assertThat(failedStep.failure().category()).isEqualTo("application");

            assertThat(endpoint.run("no-such-run")).isNull();
        });
    }

    @Test
    void showsTheDueTimeOfAWaitingStep() {
        exposed.run(context -> {
            WorkflowHandle<Object> waiting = context.getBean(WeftClient.class).start("waitAnHour", "Gus");
            WeftEndpoint endpoint = context.getBean(WeftEndpoint.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> !endpoint.run(waiting.id()).steps().isEmpty());

            Step sleep = endpoint.run(waiting.id()).steps().getFirst();
            assertThat(sleep.kind()).isEqualTo("sleep");
            assertThat(sleep.state()).isEqualTo("waiting");
            assertThat(sleep.dueAt()).isAfter(endpoint.run(waiting.id()).createdAt().plus(Duration.ofMinutes(59)));
        });
    }

    @Test
    void cancelsARunOnceAndRefusesUnknownIds() {
        exposed.run(context -> {
            WeftEndpoint endpoint = context.getBean(WeftEndpoint.class);
            WorkflowHandle<Object> waiting = context.getBean(WeftClient.class).start("waitAnHour", "Hal");

            assertThat(endpoint.cancel(waiting.id()).outcome()).isEqualTo("cancel-requested");
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting.status() == WorkflowStatus.CANCELLED);
            assertThat(endpoint.run(waiting.id()).status()).isEqualTo("cancelled");
            assertThat(endpoint.run(waiting.id()).cancelRequested()).isTrue();
            assertThat(endpoint.runs("cancelled", null, null, null, null, null).items()).singleElement()
                    .satisfies(run -> assertThat(run.cancelRequested()).isTrue());
            assertThat(endpoint.cancel(waiting.id()).outcome()).isEqualTo("already-ended");

            assertThatThrownBy(() -> endpoint.cancel("no-such-run")).isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessage("No workflow run has the id 'no-such-run'");
        });
    }

    @Test
    void masksPayloadsByDefaultAndShowsTheRestOfTheRun() {
        exposed.run(context -> {
            WeftEndpoint endpoint = context.getBean(WeftEndpoint.class);
            String run = finish(context.getBean(WeftClient.class).start("greet", "ada@example.com"));
            String waiting = context.getBean(WeftClient.class).start("waitAnHour", "Ivy").id();

            RunDetail detail = endpoint.run(run);
            assertThat(detail.input()).isEqualTo(WeftEndpoint.MASK);
            assertThat(detail.result()).isEqualTo(WeftEndpoint.MASK);
            assertThat(detail.steps()).singleElement().satisfies(step -> {
                assertThat(step.result()).isEqualTo(WeftEndpoint.MASK);
                assertThat(step.name()).isEqualTo("write");
                assertThat(step.state()).isEqualTo("completed");
            });
            assertThat(detail.status()).isEqualTo("completed");
            assertThat(detail.type()).isEqualTo("greet");
            assertThat(detail.toString()).doesNotContain("ada@example.com");
            assertThat(endpoint.run(waiting).result()).as("no result yet: nothing to mask").isNull();
        });
    }

    @Test
    void showsPayloadsAlwaysWhenConfigured() {
        exposed.withPropertyValues("management.endpoint.weft.show-values=always").run(context -> {
            String run = finish(context.getBean(WeftClient.class).start("greet", "Ann"));

            RunDetail anonymous = context.getBean(WeftEndpointWebExtension.class).run(SecurityContext.NONE, run);
            assertThat(anonymous.input()).isEqualTo("\"Ann\"");
            assertThat(anonymous.result()).isEqualTo("\"Hello, Ann\"");
            assertThat(context.getBean(WeftEndpoint.class).run(run).input()).isEqualTo("\"Ann\"");
        });
    }

    @Test
    void neverShowsPayloadsOverTheWebWhenNeverEvenToAnAuthorizedCaller() {
        exposed.withPropertyValues("management.endpoint.weft.show-values=never").run(context -> {
            String run = finish(context.getBean(WeftClient.class).start("greet", "Ann"));

            RunDetail detail = context.getBean(WeftEndpointWebExtension.class).run(caller("ops", "WEFT_ADMIN"), run);
            assertThat(detail.input()).isEqualTo(WeftEndpoint.MASK);
            assertThat(detail.result()).isEqualTo(WeftEndpoint.MASK);
        });
    }

    @Test
    void showsPayloadsWhenAuthorizedOnlyToACallerWithOneOfTheRoles() {
        exposed.withPropertyValues("management.endpoint.weft.show-values=when-authorized",
                "management.endpoint.weft.roles=WEFT_ADMIN").run(context -> {
            String run = finish(context.getBean(WeftClient.class).start("greet", "Ann"));
            WeftEndpointWebExtension web = context.getBean(WeftEndpointWebExtension.class);

            assertThat(web.run(SecurityContext.NONE, run).input()).as("anonymous").isEqualTo(WeftEndpoint.MASK);
            assertThat(web.run(caller("guest", "VIEWER"), run).input()).as("without the role").isEqualTo(WeftEndpoint.MASK);
            RunDetail authorized = web.run(caller("ops", "WEFT_ADMIN"), run);
            assertThat(authorized.input()).isEqualTo("\"Ann\"");
            assertThat(authorized.result()).isEqualTo("\"Hello, Ann\"");
            assertThat(authorized.steps()).singleElement().satisfies(step -> assertThat(step.result()).isEqualTo("\"Hello, Ann\""));
            assertThat(web.run(caller("ops", "WEFT_ADMIN"), "no-such-run")).isNull();
        });
    }

    @Test
    void showsPayloadsWhenAuthorizedToAnyAuthenticatedCallerWhenNoRolesAreSet() {
        exposed.withPropertyValues("management.endpoint.weft.show-values=when-authorized").run(context -> {
            String run = finish(context.getBean(WeftClient.class).start("greet", "Ann"));
            WeftEndpointWebExtension web = context.getBean(WeftEndpointWebExtension.class);

            assertThat(web.run(SecurityContext.NONE, run).input()).isEqualTo(WeftEndpoint.MASK);
            assertThat(web.run(caller("guest"), run).input()).isEqualTo("\"Ann\"");
        });
    }

    @Test
    void hasNoWebExtensionWhenExposedOnlyOverJmx() {
        runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=weft")
                .run(context -> assertThat(context).hasSingleBean(WeftEndpoint.class).doesNotHaveBean(WeftEndpointWebExtension.class));
    }

    /** A caller with a principal named {@code name} and the given roles. */
    private static SecurityContext caller(String name, String... roles) {
        Principal principal = () -> name;
        Set<String> held = Set.of(roles);
        return new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return held.contains(role);
            }
        };
    }

    @Test
    void isAbsentUnlessExposed() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(WeftEndpoint.class));
    }

    @Test
    void isAbsentWhenAccessIsNone() {
        exposed.withPropertyValues("management.endpoint.weft.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(WeftEndpoint.class));
    }

    @Test
    void isAbsentWithoutActuatorOnTheClassPath() {
        exposed.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(WeftEngine.class).doesNotHaveBean(WeftEndpoint.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwn() {
        exposed.withUserConfiguration(OwnEndpoint.class)
                .run(context -> assertThat(context).hasSingleBean(WeftEndpoint.class).hasBean("ownEndpoint"));
    }

    private static String finish(WorkflowHandle<Object> handle) {
        try {
            handle.result(Duration.ofSeconds(10));
        } catch (RuntimeException expected) {
            // some of these runs fail on purpose
        }
        return handle.id();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoint {
        @Bean
        WeftEndpoint ownEndpoint(WeftEngine engine) {
            return new WeftEndpoint(engine, Show.ALWAYS);
        }
    }
}
