package dev.weft.activity;

import dev.weft.failure.DefinitionNames;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An activity registered by name. The name, not the function, is what the journal records and a
 * worker dispatches on, so the same name must be registered wherever runs are recovered.
 *
 * @param options the defaults of every call of this activity (retry, timeout, ...)
 * @param idempotencyKey the key of a call, from its input, when the call gives none; {@code null} for none
 * @param verifier checks a keyed call's side effect against the external system; {@code null} for none
 * @param idempotent whether the activity declares itself idempotent: introspection only, the engine does not act on it
 */
public record ActivityDefinition<I, R>(
        String name, Class<I> inputType, Class<R> resultType, ActivityFunction<I, R> function, ActivityOptions options,
        @Nullable Function<? super I, String> idempotencyKey, @Nullable ActivityVerifier<I, R> verifier, boolean idempotent) {

    public ActivityDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(options, "options");
        DefinitionNames.check("an activity name", name);
    }

    public ActivityDefinition(String name, Class<I> inputType, Class<R> resultType, ActivityFunction<I, R> function,
            ActivityOptions options) {
        this(name, inputType, resultType, function, options, null, null, false);
    }

    public static <I, R> ActivityDefinition<I, R> of(
            String name, Class<I> inputType, Class<R> resultType, ActivityFunction<I, R> function) {
        return new ActivityDefinition<>(name, inputType, resultType, function, ActivityOptions.none());
    }

    public ActivityDefinition<I, R> withOptions(ActivityOptions options) {
        return new ActivityDefinition<>(name, inputType, resultType, function, options, idempotencyKey, verifier, idempotent);
    }

    /**
     * Keys every call that gives no key of its own with {@code key} of its input: a keyed call
     * writes a reconciliation record before each dispatch (see {@link ActivityOptions#idempotencyKey()}).
     */
    public ActivityDefinition<I, R> withIdempotencyKey(Function<? super I, String> key) {
        return new ActivityDefinition<>(name, inputType, resultType, function, options, Objects.requireNonNull(key, "key"), verifier,
                idempotent);
    }

    /** Checks keyed calls' side effects before a dispatch after a crash, and results after each attempt. */
    public ActivityDefinition<I, R> withVerifier(ActivityVerifier<I, R> verifier) {
        return new ActivityDefinition<>(name, inputType, resultType, function, options, idempotencyKey,
                Objects.requireNonNull(verifier, "verifier"), idempotent);
    }

    /** Declares the activity idempotent; introspection only. */
    public ActivityDefinition<I, R> asIdempotent() {
        return new ActivityDefinition<>(name, inputType, resultType, function, options, idempotencyKey, verifier, true);
    }
}
