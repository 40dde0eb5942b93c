package dev.weft.workflow;

import org.jspecify.annotations.Nullable;

/**
 * The body of a workflow. It runs again from the top whenever the run is replayed, so the order
 * of its durable operations (calls through the {@link WorkflowContext}) must be deterministic;
 * time and randomness come from the context.
 */
@FunctionalInterface
public interface WorkflowFunction<I, R> {

    @Nullable R execute(WorkflowContext context, @Nullable I input) throws Exception;
}
