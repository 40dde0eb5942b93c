package dev.weft.visibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.StartOptions;
import dev.weft.WeftEngine;
import dev.weft.WorkflowStatus;
import dev.weft.activity.ActivityDefinition;
import dev.weft.client.PageRequest;
import dev.weft.client.WorkflowFilter;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotTerminalException;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkflowRunsTests {

    private static final WorkflowDefinition<String, String> GREET = WorkflowDefinition.of("greet", String.class, String.class,
            (context, name) -> context.run("write", name, String.class));

    private static final WorkflowDefinition<String, String> WAIT_A_DAY = WorkflowDefinition.of("waitADay", String.class,
            String.class, (context, name) -> {
                context.sleep(Duration.ofDays(1));
                return name;
            });

    private final EngineFixture fixture = EngineFixture.h2();

    // Waits stay in memory (no parking), so the waiting runs keep a live owner.
    private final WeftEngine engine = fixture.engine("a", builder -> builder.workflow(GREET).workflow(WAIT_A_DAY).parkAfter(Duration.ofDays(2))
            .activity(ActivityDefinition.of("write", String.class, String.class, (name, context) -> "Hello, " + name)));

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void showsARunWithItsPayloadsAndItsHistory() {
        engine.start(GREET, "Ann", StartOptions.withId("greet-1")).result(Gate.patience());

        WorkflowRun run = engine.runs().get("greet-1");

        assertThat(run.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(run.type()).isEqualTo("greet");
        assertThat(run.input()).isEqualTo("\"Ann\"");
        assertThat(run.result()).isEqualTo("\"Hello, Ann\"");
        assertThat(run.summary().id()).isEqualTo("greet-1");
        assertThat(engine.runs().history("greet-1")).singleElement().satisfies(step -> {
            assertThat(step.kind()).isEqualTo(WorkflowStep.Kind.ACTIVITY);
            assertThat(step.state()).isEqualTo(WorkflowStep.State.COMPLETED);
            assertThat(step.name()).isEqualTo("write");
            assertThat(step.result()).isEqualTo("\"Hello, Ann\"");
        });
        assertThat(engine.runs().find("missing")).isEmpty();
        assertThat(engine.runs().history("missing")).isEmpty();
        assertThatThrownBy(() -> engine.runs().get("missing")).isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void listsAndCountsRunsByFilterNewestFirst() {
        engine.start(GREET, "Ann", StartOptions.withId("greet-1")).result(Gate.patience());
        fixture.clock().advance(Duration.ofSeconds(1));
        engine.start(WAIT_A_DAY, "Bob", StartOptions.withId("wait-1"));
        fixture.clock().advance(Duration.ofSeconds(1));
        engine.start(WAIT_A_DAY, "Cy", StartOptions.withId("wait-2"));
        Awaitility.await().atMost(Gate.patience()).until(() -> fixture.clock().pendingTimers() == 2);

        WorkflowRunPage all = engine.runs().list(WorkflowFilter.all(), PageRequest.first(2));
        assertThat(all.items()).extracting(WorkflowRun::id).containsExactly("wait-2", "wait-1");
        assertThat(all.total()).isEqualTo(3);
        assertThat(all.summaries().items()).extracting("id").containsExactly("wait-2", "wait-1");

        WorkflowFilter greetings = WorkflowFilter.all().withType("greet");
        assertThat(engine.runs().list(greetings, new PageRequest(0, 10)).items()).extracting(WorkflowRun::id)
                .containsExactly("greet-1");
        assertThat(engine.runs().count(WorkflowFilter.all().withStatuses(WorkflowStatus.RUNNING))).isEqualTo(2);
        assertThat(engine.runs().countByStatus()).containsEntry(WorkflowStatus.RUNNING, 2L)
                .containsEntry(WorkflowStatus.COMPLETED, 1L);
        assertThat(engine.runs().countOverdue(Duration.ZERO)).as("owned by a live node").isZero();
        assertThat(engine.runs().databaseTime()).isNotNull();
    }

    @Test
    void deletesOnlyFinishedRuns() {
        engine.start(GREET, "Ann", StartOptions.withId("greet-1")).result(Gate.patience());
        engine.start(WAIT_A_DAY, "Bob", StartOptions.withId("wait-1"));

        assertThatThrownBy(() -> engine.runs().delete("wait-1")).isInstanceOf(WorkflowNotTerminalException.class);
        engine.runs().delete("greet-1");

        assertThat(engine.runs().find("greet-1")).isEmpty();
        assertThat(engine.runs().history("greet-1")).isEmpty();
        assertThat(engine.runs().find("wait-1")).isPresent();
        assertThatThrownBy(() -> engine.runs().delete("greet-1")).isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void aCancelledRunShowsItsCancellationRequestAndACompletedOneNone() {
        engine.start(GREET, "Ann", StartOptions.withId("greet-1")).result(Gate.patience());
        engine.start(WAIT_A_DAY, "Bob", StartOptions.withId("wait-1"));
        engine.start(WAIT_A_DAY, "Cy", StartOptions.withId("wait-2"));
        Awaitility.await().atMost(Gate.patience()).until(() -> fixture.clock().pendingTimers() == 2);

        engine.cancel("wait-1");
        Awaitility.await().atMost(Gate.patience()).until(() -> engine.runs().get("wait-1").status() == WorkflowStatus.CANCELLED);
        engine.suspend("wait-2");
        engine.cancel("wait-2");

        assertThat(engine.runs().get("wait-1").cancelRequested()).isTrue();
        assertThat(engine.runs().get("wait-1").summary().cancelRequested()).isTrue();
        assertThat(engine.runs().get("wait-2").status()).as("a suspended run is cancelled at once").isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(engine.runs().get("wait-2").cancelRequested()).isTrue();
        assertThat(engine.runs().get("greet-1").cancelRequested()).isFalse();
        assertThat(engine.runs().list(WorkflowFilter.all().withStatuses(WorkflowStatus.CANCELLED), PageRequest.first(10)).items())
                .extracting(WorkflowRun::cancelRequested).containsExactly(true, true);
    }
}
