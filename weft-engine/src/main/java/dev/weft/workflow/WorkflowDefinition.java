package dev.weft.workflow;

import dev.weft.failure.InvalidDefinitionException;
import java.util.Objects;

/**
 * A workflow type registered by name, with the types its input and result are read as.
 *
 * @param version the version of this definition, stored with every run it starts
 * @param continuesVersions older versions whose runs this code can continue (replay); runs of any
 *     other version fail with {@link dev.weft.failure.VersionMismatchException} when taken up here
 */
public record WorkflowDefinition<I, R>(String name, Class<I> inputType, Class<R> resultType, WorkflowFunction<I, R> function,
        int version, java.util.Set<Integer> continuesVersions) {

    public WorkflowDefinition(String name, Class<I> inputType, Class<R> resultType, WorkflowFunction<I, R> function) {
        this(name, inputType, resultType, function, 1, java.util.Set.of());
    }

    public WorkflowDefinition {
        continuesVersions = java.util.Set.copyOf(continuesVersions);
        if (version < 1) {
            throw new InvalidDefinitionException("a workflow version must be at least 1, was " + version);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(function, "function");
        if (name.isBlank()) {
            throw new InvalidDefinitionException("a workflow name must not be blank");
        }
    }

    /** This definition as version {@code version}. */
    public WorkflowDefinition<I, R> withVersion(int version) {
        return new WorkflowDefinition<>(name, inputType, resultType, function, version, continuesVersions);
    }

    /** This definition, declared able to continue runs started by the given older versions. */
    public WorkflowDefinition<I, R> continuing(Integer... versions) {
        return new WorkflowDefinition<>(name, inputType, resultType, function, version, java.util.Set.of(versions));
    }

    public static <I, R> WorkflowDefinition<I, R> of(
            String name, Class<I> inputType, Class<R> resultType, WorkflowFunction<I, R> function) {
        return new WorkflowDefinition<>(name, inputType, resultType, function);
    }
}
