package dev.weft.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.activity.ActivityDefinition;
import dev.weft.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

class DefinitionNamesTests {

    @Test
    void aWorkflowNameLongerThanTheStoreHoldsIsRefusedWhenDefinedNamingTheLimit() {
        String tooLong = "w".repeat(DefinitionNames.MAX_LENGTH + 1);

        assertThatThrownBy(() -> WorkflowDefinition.of(tooLong, String.class, String.class, (context, input) -> input))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageStartingWith("a workflow name must be at most 200 characters")
                .hasMessageEndingWith("has 201");
        assertThatCode(() -> WorkflowDefinition.of(tooLong.substring(1), String.class, String.class, (context, input) -> input))
                .doesNotThrowAnyException();
    }

    @Test
    void anActivityNameWithANulOrALoneSurrogateIsRefusedWhenDefined() {
        assertThatThrownBy(() -> ActivityDefinition.of("charge\u0000card", String.class, String.class, (input, context) -> input))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessage("an activity name must not contain control characters, 'charge?card' has U+0000 at index 6");
        assertThatThrownBy(() -> ActivityDefinition.of("charge\uD800", String.class, String.class, (input, context) -> input))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessage("an activity name must be valid Unicode, 'charge?' has a lone surrogate at index 6");
    }

    @Test
    void namesOutsideTheBasicPlaneAndBlankNames() {
        assertThatCode(() -> DefinitionNames.check("a workflow name", "ship-\uD83D\uDCE6")).doesNotThrowAnyException();
        assertThatThrownBy(() -> DefinitionNames.check("a workflow name", "  ")).hasMessage("a workflow name must not be blank");
    }
}
