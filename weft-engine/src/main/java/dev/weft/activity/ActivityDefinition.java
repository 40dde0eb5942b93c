package dev.weft.activity;

import dev.weft.failure.DefinitionNames;
import java.util.Objects;

/**
 * An activity registered by name. The name, not the function, is what the journal records and a
 * worker dispatches on, so the same name must be registered wherever runs are recovered.
 *
 * @param options the defaults of every call of this activity (retry, timeout, ...)
 */
public record ActivityDefinition<I, R>(
        String name, Class<I> inputType, Class<R> resultType, ActivityFunction<I, R> function, ActivityOptions options) {

    public ActivityDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(options, "options");
        DefinitionNames.check("an activity name", name);
    }

    public static <I, R> ActivityDefinition<I, R> of(
            String name, Class<I> inputType, Class<R> resultType, ActivityFunction<I, R> function) {
        return new ActivityDefinition<>(name, inputType, resultType, function, ActivityOptions.none());
    }

    public ActivityDefinition<I, R> withOptions(ActivityOptions options) {
        return new ActivityDefinition<>(name, inputType, resultType, function, options);
    }
}
