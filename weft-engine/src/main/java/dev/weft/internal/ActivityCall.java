package dev.weft.internal;

import dev.weft.activity.ActivityDefinition;
import dev.weft.activity.ActivityFunction;
import dev.weft.activity.CurrentActivity;
import dev.weft.failure.NonRetryableException;
import dev.weft.failure.PayloadException;
import dev.weft.payload.PayloadSerializer;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One call of an activity's function on the calling thread, from input JSON to result JSON: what
 * an inline attempt and a worker's claimed task both do.
 */
final class ActivityCall {

    private final PayloadSerializer serializer;

    ActivityCall(PayloadSerializer serializer) {
        this.serializer = serializer;
    }

    /** Runs the activity with {@code context} bound as the current activity; {@code result} gets the outcome. */
    @SuppressWarnings("unchecked")
    void execute(ActivityDefinition<?, ?> definition, String inputJson, AttemptContext context, CompletableFuture<String> result) {
        try (CurrentActivity.Scope ignored = CurrentActivity.bind(context)) {
            Object input = decoded(definition, inputJson);
            Object value = ((ActivityFunction<Object, Object>) definition.function()).execute(input, context);
            result.complete(encoded(definition, value));
        } catch (Throwable error) {
            result.completeExceptionally(error);
        }
    }

    /**
     * The input as the activity's type. An input that does not fit fails the step for good: the
     * recorded input is the same on every attempt, so each would meet the same refusal.
     */
    private @Nullable Object decoded(ActivityDefinition<?, ?> definition, String inputJson) {
        try {
            return serializer.deserialize(inputJson, definition.inputType());
        } catch (PayloadException unreadable) {
            throw new NonRetryableException("The input of activity '" + definition.name() + "' cannot be read as "
                    + definition.inputType().getSimpleName() + "; not retried, as every attempt gets the same input: "
                    + unreadable.getMessage(), unreadable);
        }
    }

    /**
     * The result as JSON. A result that cannot be encoded fails the step for good: the activity has
     * done its work, and another attempt would do it again only to meet the same refusal.
     */
    private String encoded(ActivityDefinition<?, ?> definition, @Nullable Object value) {
        try {
            return serializer.serialize(value);
        } catch (PayloadException unencodable) {
            throw new NonRetryableException("The result of activity '" + definition.name()
                    + "' cannot be encoded as JSON, so it cannot be recorded; not retried, as each attempt would repeat "
                    + "the activity's work: " + unencodable.getMessage(), unencodable);
        }
    }
}
