package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventTests {

    private final EngineFixture fixture = EngineFixture.h2();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aRunEmitsItsLifecycleInOrderToTypedAndUntypedListeners() {
        List<EngineEvent.ActivityCompleted> typed = new CopyOnWriteArrayList<>();
        WeftEngine engine = fixture.engine(builder -> builder
                .workflow(WorkflowDefinition.of("flow", String.class, String.class, (context, input) -> context.run("step", input, String.class)))
                .activity(ActivityDefinition.of("step", String.class, String.class, (input, context) -> input)));
        engine.addListener(EngineEvent.ActivityCompleted.class, typed::add);

        engine.start("flow", "x", StartOptions.withId("ev-1")).result(Gate.patience());

        assertThat(fixture.events()).extracting(event -> event.getClass().getSimpleName())
                .containsExactly("WorkflowStarted", "ActivityStarted", "ActivityCompleted", "WorkflowCompleted");
        assertThat(typed).singleElement().satisfies(completed -> {
            assertThat(completed.workflowId()).isEqualTo("ev-1");
            assertThat(completed.activityName()).isEqualTo("step");
            assertThat(completed.attempt()).isEqualTo(1);
        });
    }

    @Test
    void aListenerThatThrowsDoesNotDisturbTheRun() {
        WeftEngine engine = fixture.engine(builder -> builder
                .workflow(WorkflowDefinition.of("flow", String.class, String.class, (context, input) -> "ok"))
                .listener(event -> {
                    throw new IllegalStateException("bad listener");
                }));

        assertThat(engine.start("flow", "x").result(Gate.patience())).isEqualTo("ok");
        assertThat(fixture.events(EngineEvent.WorkflowCompleted.class)).hasSize(1);
    }
}
