package dev.weft.workflow;

import org.jspecify.annotations.Nullable;

/**
 * The branch that settled first in a {@link WorkflowContext#race}.
 *
 * @param index the winner's position in the list of branches
 * @param value its result
 */
public record RaceResult<R>(int index, @Nullable R value) {
}
