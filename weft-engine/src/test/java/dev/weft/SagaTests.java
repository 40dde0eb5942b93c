package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityOptions;
import dev.weft.failure.ActivityFailedException;
import dev.weft.failure.InvalidDefinitionException;
import dev.weft.failure.NonRetryableException;
import dev.weft.failure.WorkflowFailedException;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.Step;
import dev.weft.workflow.WorkflowDefinition;
import dev.weft.workflow.WorkflowFunction;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sagas: the compensations of completed steps run newest first, with each step's input and output,
 * when the saga's body fails; a failing compensation is attached to the original error and the
 * others still run; a replay after a crash in the middle does not compensate a step twice.
 */
class SagaTests {

    private final EngineFixture fixture = EngineFixture.h2();
    /** Every activity execution, in order: "name input" or "name {input=..., output=...}". */
    private final List<String> executed = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    private ActivityDefinition<String, String> step(String name, String compensation) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            executed.add(name + " " + input);
            return name + "ed " + input;
        }).withOptions(ActivityOptions.builder().compensation(compensation).build());
    }

    private ActivityDefinition<Map, String> compensation(String name, Gate gate) {
        return ActivityDefinition.of(name, Map.class, String.class, (input, context) -> {
            gate.pass();
            executed.add(name + " " + input);
            return name + " done";
        });
    }

    private ActivityDefinition<Map, String> compensation(String name) {
        Gate open = new Gate();
        open.open();
        return compensation(name, open);
    }

    private ActivityDefinition<String, String> failing(String name) {
        return ActivityDefinition.of(name, String.class, String.class, (input, context) -> {
            executed.add(name + " " + input);
            throw new NonRetryableException(name + " refused " + input);
        });
    }

    private ActivityDefinition<Map, String> failingCompensation(String name) {
        return ActivityDefinition.of(name, Map.class, String.class, (input, context) -> {
            executed.add(name + " " + input);
            throw new NonRetryableException(name + " refused " + input);
        });
    }

    private static WorkflowDefinition<String, String> workflow(WorkflowFunction<String, String> body) {
        return WorkflowDefinition.of("order", String.class, String.class, body);
    }

    /** Reserve, charge, then ship, as one saga. */
    private static final WorkflowFunction<String, String> RESERVE_CHARGE_SHIP = (ctx, order) -> ctx.saga(saga -> {
        ctx.run("reserve", order, String.class);
        ctx.run("charge", order, String.class);
        return ctx.run("ship", order, String.class);
    });

    @Test
    void whenAStepFailsTheCompletedStepsAreCompensatedNewestFirstWithTheirInputAndOutput() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(workflow(RESERVE_CHARGE_SHIP))
                .activity(step("reserve", "release")).activity(step("charge", "refund")).activity(failing("ship"))
                .activity(compensation("release")).activity(compensation("refund")));

        WorkflowHandle<Object> handle = engine.start("order", "o-1");

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowFailedException.class)
                .hasMessageContaining("ship refused o-1");
        assertThat(executed).containsExactly("reserve o-1", "charge o-1", "ship o-1",
                "refund {input=o-1, output=chargeed o-1}", "release {input=o-1, output=reserveed o-1}");
    }

    @Test
    void aFailingCompensationIsAttachedToTheOriginalErrorAndTheOthersStillRun() {
        WorkflowFunction<String, String> reportingSuppressed = (ctx, order) -> {
            try {
                return RESERVE_CHARGE_SHIP.execute(ctx, order);
            } catch (ActivityFailedException original) {
                return original.getMessage() + " | suppressed: "
                        + Arrays.stream(original.getSuppressed()).map(Throwable::getMessage).toList();
            }
        };
        WeftEngine engine = fixture.engine(builder -> builder.workflow(workflow(reportingSuppressed))
                .activity(step("reserve", "release")).activity(step("charge", "refund")).activity(failing("ship"))
                .activity(compensation("release")).activity(failingCompensation("refund")));

        String outcome = (String) engine.start("order", "o-2").result(Gate.patience());

        assertThat(outcome).contains("ship refused o-2").contains("suppressed: [").contains("refund refused");
        assertThat(executed).containsExactly("reserve o-2", "charge o-2", "ship o-2",
                "refund {input=o-2, output=chargeed o-2}", "release {input=o-2, output=reserveed o-2}");
    }

    @Test
    void aSagaThatCompletesCompensatesNothingAndReturnsItsValue() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(workflow(RESERVE_CHARGE_SHIP))
                .activity(step("reserve", "release")).activity(step("charge", "refund")).activity(step("ship", "recall"))
                .activity(compensation("release")).activity(compensation("refund")).activity(compensation("recall")));

        assertThat(engine.start("order", "o-3").result(Gate.patience())).isEqualTo("shiped o-3");
        assertThat(executed).containsExactly("reserve o-3", "charge o-3", "ship o-3");
    }

    @Test
    void anEmptySagaIsANoOp() {
        WorkflowFunction<String, String> empty = (ctx, order) -> {
            String value = ctx.saga(saga -> "nothing to undo");
            try {
                ctx.saga(saga -> {
                    throw new IllegalStateException("failed before any step");
                });
            } catch (IllegalStateException expected) {
                return value + ", " + expected.getMessage() + ", suppressed " + expected.getSuppressed().length;
            }
            return "unreachable";
        };
        WeftEngine engine = fixture.engine(builder -> builder.workflow(workflow(empty)));

        WorkflowHandle<Object> handle = engine.start("order", "o-4");

        assertThat(handle.result(Gate.patience())).isEqualTo("nothing to undo, failed before any step, suppressed 0");
        assertThat(fixture.journal(handle.id())).isEmpty();
    }

    @Test
    void compensationsAddedByHandAndCompensateCalledByTheWorkflowRunNewestFirst() {
        WorkflowFunction<String, String> byHand = (ctx, order) -> ctx.saga(saga -> {
            ctx.run("reserve", order, String.class);
            saga.addCompensation(() -> ctx.run("notify", Map.of("note", "undo by hand"), String.class));
            ctx.run("charge", order, String.class);
            saga.compensate();
            // compensate() forgets what it ran: a second call runs nothing
            saga.compensate();
            return "undone";
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(workflow(byHand))
                .activity(step("reserve", "release")).activity(step("charge", "refund"))
                .activity(compensation("release")).activity(compensation("refund")).activity(compensation("notify")));

        assertThat(engine.start("order", "o-5").result(Gate.patience())).isEqualTo("undone");
        assertThat(executed).containsExactly("reserve o-5", "charge o-5", "refund {input=o-5, output=chargeed o-5}",
                "notify {note=undo by hand}", "release {input=o-5, output=reserveed o-5}");
    }

    @Test
    void parallelStepsAreCompensatedByTheirPositionInTheJournal() {
        WorkflowFunction<String, String> parallel = (ctx, order) -> ctx.saga(saga -> {
            ctx.all(List.of(Step.activity("reserve", order, String.class), Step.activity("charge", order, String.class)));
            return ctx.run("ship", order, String.class);
        });
        WeftEngine engine = fixture.engine(builder -> builder.workflow(workflow(parallel))
                .activity(step("reserve", "release")).activity(step("charge", "refund")).activity(failing("ship"))
                .activity(compensation("release")).activity(compensation("refund")));

        assertThatThrownBy(() -> engine.start("order", "o-6").result(Gate.patience())).isInstanceOf(WorkflowFailedException.class);
        // charge is the second branch, so its compensation runs first, whichever branch finished first
        assertThat(executed.subList(3, 5)).containsExactly("refund {input=o-6, output=chargeed o-6}",
                "release {input=o-6, output=reserveed o-6}");
    }

    @Test
    void aRestartInTheMiddleOfCompensatingDoesNotCompensateAStepTwice() {
        Gate releaseGate = new Gate();
        WeftEngine crashed = fixture.engine("a", builder -> builder.workflow(workflow(RESERVE_CHARGE_SHIP))
                .activity(step("reserve", "release")).activity(step("charge", "refund")).activity(failing("ship"))
                .activity(compensation("release", releaseGate)).activity(compensation("refund")));
        crashed.start("order", "o-7", StartOptions.withId("saga-restart"));
        releaseGate.awaitArrival();
        crashed.close();
        releaseGate.open();
        executed.removeIf(line -> line.startsWith("release"));

        WeftEngine restarted = fixture.engine("b", builder -> builder.workflow(workflow(RESERVE_CHARGE_SHIP))
                .activity(step("reserve", "release")).activity(step("charge", "refund")).activity(failing("ship"))
                .activity(compensation("release")).activity(compensation("refund")));
        WorkflowHandle<Object> handle = restarted.resume("saga-restart");

        assertThatThrownBy(() -> handle.result(Gate.patience())).isInstanceOf(WorkflowFailedException.class)
                .hasMessageContaining("ship refused o-7");
        assertThat(executed).containsExactly("reserve o-7", "charge o-7", "ship o-7",
                "refund {input=o-7, output=chargeed o-7}", "release {input=o-7, output=reserveed o-7}");
    }

    @Test
    void aCompensationThatIsNotRegisteredIsRefusedWhenTheEngineIsBuilt() {
        assertThatThrownBy(() -> fixture.engine(builder -> builder.workflow(workflow(RESERVE_CHARGE_SHIP))
                .activity(step("reserve", "release"))))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("'reserve' names 'release' as its compensation");
    }
}
