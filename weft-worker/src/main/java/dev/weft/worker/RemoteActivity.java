package dev.weft.worker;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An activity a remote worker runs: the engine sends its name and its input as JSON, never code.
 * What it returns is the activity's result; what it throws fails the attempt, and the workflow's
 * retry policy decides what follows.
 */
@FunctionalInterface
public interface RemoteActivity {

    @Nullable Object run(JsonNode input, ActivityContext context) throws Exception;
}
