package dev.weft;

import dev.weft.failure.QueryNotFoundException;
import dev.weft.failure.WorkflowFinishedException;
import dev.weft.failure.WorkflowNotFoundException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryTests {

    record Progress(String stage, int approvals) {
    }

    private final EngineFixture fixture = EngineFixture.h2();
    private final AtomicInteger prepared = new AtomicInteger();

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Collects approvals by signal and answers "progress" and "approvedBy(index)" queries. */
    private static final WorkflowDefinition<String, String> COLLECTOR = WorkflowDefinition.of("collector", String.class, String.class,
            (context, input) -> {
                List<String> approvers = new ArrayList<>();
                String[] stage = {"preparing"};
                context.onQuery("progress", () -> new Progress(stage[0], approvers.size()));
                context.onQuery("approvedBy", Integer.class, index -> approvers.get(index));
                context.run("prepare", input, String.class);
                stage[0] = "collecting";
                while (approvers.size() < 2) {
                    approvers.add(context.awaitSignal("approve", String.class));
                }
                return String.join(",", approvers);
            });

    private WeftEngine engine(String node, Duration parkAfter) {
        return fixture.engine(node, builder -> builder.workflow(COLLECTOR).parkAfter(parkAfter)
                .activity(ActivityDefinition.of("prepare", String.class, String.class, (input, context) -> {
                    prepared.incrementAndGet();
                    return input;
                })));
    }

    @Test
    void aLiveRunAnswersFromMemory() {
        WeftEngine engine = engine("a", Duration.ofDays(1));
        engine.start(COLLECTOR, "x", StartOptions.withId("q-1"));
        Awaitility.await().until(() -> engine.query("q-1", "progress", null, Progress.class).stage().equals("collecting"));

        engine.signal("q-1", "approve", "ada");

        Awaitility.await().until(() -> engine.query("q-1", "progress", null, Progress.class).approvals() == 1);
        assertThat(engine.query("q-1", "approvedBy", 0, String.class)).isEqualTo("ada");
    }

    @Test
    void aParkedRunIsReplayedReadOnlyToAnswerWithoutRunningAnything() {
        WeftEngine engine = engine("a", Duration.ZERO);
        engine.start(COLLECTOR, "x", StartOptions.withId("q-2"));
        Awaitility.await().until(() -> engine.parkedRunCount() == 1);
        engine.signal("q-2", "approve", "ada");
        Awaitility.await().until(() -> engine.parkedRunCount() == 1 && engine.activeRunCount() == 0
                && engine.query("q-2", "progress", null, Progress.class).approvals() == 1);
        int journalBefore = fixture.journal("q-2").size();

        assertThat(engine.query("q-2", "progress", null, Progress.class)).isEqualTo(new Progress("collecting", 1));
        assertThat(engine.query("q-2", "approvedBy", 0, String.class)).isEqualTo("ada");
        assertThat(prepared).hasValue(1);
        assertThat(fixture.journal("q-2")).hasSize(journalBefore);
        assertThat(engine.parkedRunCount()).isEqualTo(1);
    }

    @Test
    void anotherEngineAnswersByReplayingTheJournal() {
        WeftEngine owner = engine("owner", Duration.ofDays(1));
        owner.start(COLLECTOR, "x", StartOptions.withId("q-3"));
        owner.signal("q-3", "approve", "bo");
        Awaitility.await().until(() -> owner.query("q-3", "progress", null, Progress.class).approvals() == 1);
        WeftEngine other = engine("other", Duration.ofDays(1));

        assertThat(other.query("q-3", "progress", null, Progress.class)).isEqualTo(new Progress("collecting", 1));
    }

    @Test
    void unknownQueriesAndFinishedRunsGetAClearAnswer() {
        WeftEngine engine = engine("a", Duration.ofDays(1));
        WorkflowHandle<String> handle = engine.start(COLLECTOR, "x", StartOptions.withId("q-4"));
        Awaitility.await().until(() -> engine.query("q-4", "progress", null, Progress.class).stage().equals("collecting"));

        assertThatThrownBy(() -> engine.query("q-4", "nope", null, String.class)).isInstanceOf(QueryNotFoundException.class)
                .hasMessageContaining("approvedBy").hasMessageContaining("progress");
        engine.signal("q-4", "approve", "a");
        engine.signal("q-4", "approve", "b");
        handle.result(Gate.patience());
        assertThatThrownBy(() -> engine.query("q-4", "progress", null, Progress.class)).isInstanceOf(WorkflowFinishedException.class);
        assertThatThrownBy(() -> engine.query("missing", "progress", null, Progress.class)).isInstanceOf(WorkflowNotFoundException.class);
    }
}
