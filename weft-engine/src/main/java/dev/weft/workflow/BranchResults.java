package dev.weft.workflow;

import dev.weft.failure.WeftException;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The outcomes of the named branches of {@link WorkflowContext#runAll}: each branch succeeded or
 * failed on its own, so each can be handled on its own.
 */
public final class BranchResults {

    /** One branch's outcome: a value, or the failure it ended with. */
    public record Outcome(@Nullable Object value, @Nullable WeftException failure) {
    }

    private final Map<String, Outcome> outcomes;

    public BranchResults(Map<String, Outcome> outcomes) {
        this.outcomes = Map.copyOf(outcomes);
    }

    public Set<String> names() {
        return outcomes.keySet();
    }

    /** Whether the branch failed. */
    public boolean failed(String name) {
        return outcome(name).failure() != null;
    }

    /**
     * The branch's result.
     *
     * @throws WeftException the branch's failure, when it failed
     */
    public <T> @Nullable T get(String name, Class<T> type) {
        Outcome outcome = outcome(name);
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return type.cast(outcome.value());
    }

    /** The branch's failure, or {@code null} when it succeeded. */
    public @Nullable WeftException failure(String name) {
        return outcome(name).failure();
    }

    private Outcome outcome(String name) {
        Outcome outcome = outcomes.get(name);
        if (outcome == null) {
            throw new NoSuchElementException("no branch named '" + name + "'; branches are " + outcomes.keySet());
        }
        return outcome;
    }
}
