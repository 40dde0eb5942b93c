package dev.weft.workflow;

import dev.weft.InvalidDefinitionException;
import java.util.Objects;

/** A workflow type registered by name, with the types its input and result are read as. */
public record WorkflowDefinition<I, R>(String name, Class<I> inputType, Class<R> resultType, WorkflowFunction<I, R> function) {

    public WorkflowDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(function, "function");
        if (name.isBlank()) {
            throw new InvalidDefinitionException("a workflow name must not be blank");
        }
    }

    public static <I, R> WorkflowDefinition<I, R> of(
            String name, Class<I> inputType, Class<R> resultType, WorkflowFunction<I, R> function) {
        return new WorkflowDefinition<>(name, inputType, resultType, function);
    }
}
