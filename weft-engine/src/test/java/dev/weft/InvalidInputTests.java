package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.failure.InvalidInputException;
import dev.weft.failure.WorkflowNotFoundException;
import dev.weft.testing.EngineFixture;
import dev.weft.testing.Gate;
import dev.weft.workflow.WorkflowDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A caller's input that the workflow could not read is refused at the start, in the caller's terms. */
class InvalidInputTests {

    enum Speed { STANDARD, EXPRESS }

    record Line(String sku, int quantity) {
    }

    record Order(String customer, List<Line> lines, Speed speed) {

        Order {
            if (customer != null && customer.isBlank()) {
                throw new IllegalArgumentException("customer must not be blank");
            }
        }
    }

    private static final WorkflowDefinition<Order, Integer> COUNT = WorkflowDefinition.of("count", Order.class, Integer.class,
            (context, order) -> order.lines().size());

    private final EngineFixture fixture = EngineFixture.h2();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aWellFormedMapInputStartsTheRun() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(COUNT));

        WorkflowHandle<Object> run = engine.start("count",
                Map.of("customer", "ada", "lines", List.of(Map.of("sku", "a", "quantity", 1)), "speed", "EXPRESS"));

        assertThat(run.result(Gate.patience())).isEqualTo(1);
    }

    @Test
    void aFieldOfTheWrongKindIsRefusedByItsPathWithoutJavaTypesAndNothingIsStored() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(COUNT));
        Map<String, Object> input = Map.of("customer", "ada", "lines", List.of(Map.of("sku", "a", "quantity", "two")));

        assertThatThrownBy(() -> engine.start("count", input, StartOptions.withId("bad-1")))
                .isInstanceOfSatisfying(InvalidInputException.class, refused -> {
                    assertThat(refused.field()).isEqualTo("input.lines[0].quantity");
                    assertThat(refused.getMessage()).isEqualTo("Field \"input.lines[0].quantity\" must be a number")
                            .doesNotContain("dev.weft").doesNotContain("Order").doesNotContain("int");
                });
        assertThatThrownBy(() -> engine.handle("bad-1")).isInstanceOf(WorkflowNotFoundException.class);
    }

    @Test
    void anEnumValueOutsideItsConstantsNamesTheAllowedValues() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(COUNT));

        assertThatThrownBy(() -> engine.start("count", Map.of("customer", "ada", "lines", List.of(), "speed", "WARP")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Field \"input.speed\" must be one of [STANDARD, EXPRESS]");
    }

    @Test
    void theApplicationsOwnValidationMessageIsPassedOn() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(COUNT));

        assertThatThrownBy(() -> engine.start("count", Map.of("customer", " ", "lines", List.of())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("Field \"input\" was refused: customer must not be blank");
    }

    @Test
    void aScalarWhereAnObjectIsExpectedIsRefusedAtTheRoot() {
        WeftEngine engine = fixture.engine(builder -> builder.workflow(COUNT));

        assertThatThrownBy(() -> engine.start("count", List.of(1, 2)))
                .isInstanceOfSatisfying(InvalidInputException.class, refused -> assertThat(refused.field()).isEqualTo("input"))
                .hasMessage("Field \"input\" must be an object");
    }
}
