package dev.weft.workflow;

import dev.weft.failure.InvalidDefinitionException;
import dev.weft.failure.DefinitionNames;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A workflow type registered by name, with the types its input and result are read as.
 *
 * @param version the version of this definition, stored with every run it starts
 * @param continuesVersions older versions whose runs this code can continue (replay); runs of any
 *     other version fail with {@link dev.weft.failure.VersionMismatchException} when taken up here
 * @param origin where the workflow's code is, for messages (such as the method of a Spring
 *     {@code @Workflow} bean), or {@code null} when the name says enough
 */
public record WorkflowDefinition<I, R>(String name, Class<I> inputType, Class<R> resultType, WorkflowFunction<I, R> function,
        int version, Set<Integer> continuesVersions, @Nullable String origin) {

    public WorkflowDefinition(String name, Class<I> inputType, Class<R> resultType, WorkflowFunction<I, R> function) {
        this(name, inputType, resultType, function, 1, Set.of(), null);
    }

    public WorkflowDefinition(String name, Class<I> inputType, Class<R> resultType, WorkflowFunction<I, R> function,
            int version, Set<Integer> continuesVersions) {
        this(name, inputType, resultType, function, version, continuesVersions, null);
    }

    public WorkflowDefinition {
        continuesVersions = Set.copyOf(continuesVersions);
        if (version < 1) {
            throw new InvalidDefinitionException("a workflow version must be at least 1, was " + version);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(function, "function");
        DefinitionNames.check("a workflow name", name);
    }

    /** This definition as version {@code version}. */
    public WorkflowDefinition<I, R> withVersion(int version) {
        return new WorkflowDefinition<>(name, inputType, resultType, function, version, continuesVersions, origin);
    }

    /** This definition, declared able to continue runs started by the given older versions. */
    public WorkflowDefinition<I, R> continuing(Integer... versions) {
        return new WorkflowDefinition<>(name, inputType, resultType, function, version, Set.of(versions), origin);
    }

    /** This definition, saying where its code is (for example {@code com.example.Orders.process(Order)}). */
    public WorkflowDefinition<I, R> withOrigin(String origin) {
        Objects.requireNonNull(origin, "origin");
        return new WorkflowDefinition<>(name, inputType, resultType, function, version, continuesVersions, origin);
    }

    /** How messages name this workflow: its origin when known, else its name. */
    public String describe() {
        return origin != null ? "'" + name + "' (" + origin + ")" : "'" + name + "'";
    }

    public static <I, R> WorkflowDefinition<I, R> of(
            String name, Class<I> inputType, Class<R> resultType, WorkflowFunction<I, R> function) {
        return new WorkflowDefinition<>(name, inputType, resultType, function);
    }
}
