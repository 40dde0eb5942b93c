package dev.weft.workflow;

import dev.weft.failure.InvalidDefinitionException;
import dev.weft.activity.ActivityOptions;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A durable operation described but not yet performed: a branch of {@link WorkflowContext#all},
 * {@link WorkflowContext#race} or {@link WorkflowContext#runAll}.
 *
 * @param <R> the type of its result
 */
public sealed interface Step<R> permits Step.ActivityStep, Step.SleepStep {

    /** A call of the named activity. */
    static <R> ActivityStep<R> activity(String name, @Nullable Object input, Class<R> resultType) {
        return new ActivityStep<>(name, input, resultType, ActivityOptions.none());
    }

    /** A call of the named activity with per-call options. */
    static <R> ActivityStep<R> activity(String name, @Nullable Object input, Class<R> resultType, ActivityOptions options) {
        return new ActivityStep<>(name, input, resultType, options);
    }

    /** A durable sleep; its result is {@code null}. */
    static SleepStep sleep(Duration duration) {
        return new SleepStep(duration);
    }

    /** See {@link Step#activity(String, Object, Class)}. */
    record ActivityStep<R>(String name, @Nullable Object input, Class<R> resultType, ActivityOptions options) implements Step<R> {
        public ActivityStep {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(resultType, "resultType");
            Objects.requireNonNull(options, "options");
        }
    }

    /** See {@link Step#sleep(Duration)}. */
    record SleepStep(Duration duration) implements Step<Void> {
        public SleepStep {
            if (duration.isNegative()) {
                throw new InvalidDefinitionException("a sleep must not be negative, was " + duration);
            }
        }
    }
}
