package dev.weft;

import dev.weft.failure.InvalidDefinitionException;
import dev.weft.failure.ResultTimeoutException;
import dev.weft.failure.WorkflowAlreadyExistsException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.failure.WorkflowNotRegisteredException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.event.EngineEvent;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WeftEngineTests {

    record Greeting(String name) {
    }

    private final EngineFixture fixture = EngineFixture.h2();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static final ActivityDefinition<Greeting, String> GREET =
            ActivityDefinition.of("greet", Greeting.class, String.class, (input, context) -> "Hello, " + input.name() + "!");

    private static final WorkflowDefinition<Greeting, String> WELCOME = WorkflowDefinition.of("welcome", Greeting.class, String.class,
            (context, input) -> context.run("greet", input, String.class));

    @Test
    void startsARunAndReturnsItsResult() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WELCOME).activity(GREET));

        WorkflowHandle<String> handle = engine.start(WELCOME, new Greeting("Ada"), StartOptions.withId("order-1"));

        assertThat(handle.id()).isEqualTo("order-1");
        assertThat(handle.result(Gate.patience())).isEqualTo("Hello, Ada!");
        assertThat(handle.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(fixture.events(EngineEvent.WorkflowStarted.class)).extracting(EngineEvent::workflowId).containsExactly("order-1");
        assertThat(fixture.events(EngineEvent.WorkflowCompleted.class)).extracting(EngineEvent::workflowId).containsExactly("order-1");
    }

    @Test
    void generatesAnIdWhenNoneIsGiven() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WELCOME).activity(GREET));

        WorkflowHandle<Object> handle = engine.start("welcome", new Greeting("Bo"));

        assertThat(UUID.fromString(handle.id())).isNotNull();
        assertThat(handle.result(Gate.patience())).isEqualTo("Hello, Bo!");
    }

    @Test
    void aHandleFromAnotherEngineReadsTheResultFromTheStore() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WELCOME).activity(GREET));
        engine.start(WELCOME, new Greeting("Cy"), StartOptions.withId("shared")).result(Gate.patience());
        WeftEngine other = fixture.engine(builder -> { });

        assertThat(other.handle("shared").result(Gate.patience())).isEqualTo("Hello, Cy!");
        assertThat(other.handle("shared", String.class).status()).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void startingAnUnregisteredTypeFailsAndStoresNothing() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WELCOME).activity(GREET));

        assertThatThrownBy(() -> engine.start("nope", null, StartOptions.withId("x")))
                .isInstanceOf(WorkflowNotRegisteredException.class)
                .hasMessageContaining("'nope'")
                .hasMessageContaining("welcome");
        assertThatThrownBy(() -> engine.handle("x")).isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void startingASecondRunWithTheSameIdFails() {
        Gate gate = new Gate();
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WELCOME)
                .activity(ActivityDefinition.of("greet", Greeting.class, String.class, (input, context) -> {
                    gate.pass();
                    return "done";
                })));
        engine.start(WELCOME, new Greeting("A"), StartOptions.withId("dup"));
        gate.awaitArrival();

        assertThatThrownBy(() -> engine.start(WELCOME, new Greeting("B"), StartOptions.withId("dup")))
                .isInstanceOf(WorkflowAlreadyExistsException.class)
                .hasMessageContaining("dup");
        gate.open();
    }

    @Test
    void theTwoStartFailuresAreDistinct() {
        assertThat(WorkflowNotRegisteredException.class.isAssignableFrom(WorkflowAlreadyExistsException.class)).isFalse();
        assertThat(new WorkflowNotRegisteredException("a").code()).isNotEqualTo(new WorkflowAlreadyExistsException("b").code());
    }

    @Test
    void resultWithATimeoutGivesUpWhileTheRunGoesOn() {
        Gate gate = new Gate();
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WELCOME)
                .activity(ActivityDefinition.of("greet", Greeting.class, String.class, (input, context) -> {
                    gate.pass();
                    return "late";
                })));
        WorkflowHandle<String> handle = engine.start(WELCOME, new Greeting("A"), StartOptions.defaults());
        gate.awaitArrival();

        assertThatThrownBy(() -> handle.result(Duration.ofMillis(50))).isInstanceOf(ResultTimeoutException.class);
        assertThat(handle.status()).isEqualTo(WorkflowStatus.RUNNING);
        gate.open();
        assertThat(handle.result(Gate.patience())).isEqualTo("late");
    }

    @Test
    void aWorkflowThatThrowsFailsWithItsError() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WorkflowDefinition.of("broken", String.class, String.class,
                (context, input) -> {
                    throw new IllegalStateException("no stock for " + input);
                })));

        WorkflowHandle<Object> handle = engine.start("broken", "sku-1");

        assertThatThrownBy(() -> handle.result(Gate.patience()))
                .isInstanceOfSatisfying(WorkflowFailedException.class, failed -> {
                    assertThat(failed.failure().type()).isEqualTo(IllegalStateException.class.getName());
                    assertThat(failed.failure().message()).isEqualTo("no stock for sku-1");
                });
        assertThat(handle.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(fixture.events(EngineEvent.WorkflowFailed.class)).hasSize(1);
    }

    @Test
    void anUnknownIdIsNotFound() {
        WeftEngine engine = fixture.engine(builder -> { });

        assertThatThrownBy(() -> engine.handle("missing")).isInstanceOf(WorkflowNotFoundException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> engine.cancel("missing")).isInstanceOf(WorkflowNotFoundException.class);
        assertThatThrownBy(() -> engine.resume("missing")).isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void registeringANameTwiceIsRefused() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WELCOME).activity(GREET));

        assertThatThrownBy(() -> engine.register(GREET)).isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("greet");
        assertThatThrownBy(() -> engine.register(WELCOME)).isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("welcome");
    }

    @Test
    void badStartOptionsAreRefusedBeforeAnythingIsStored() {
        assertThatThrownBy(() -> StartOptions.withId(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> StartOptions.withId("x".repeat(201))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("200");
    }

    @Test
    void aClosedEngineRefusesToStartRuns() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(WELCOME).activity(GREET));
        engine.close();

        assertThatThrownBy(() -> engine.start("welcome", new Greeting("x"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
