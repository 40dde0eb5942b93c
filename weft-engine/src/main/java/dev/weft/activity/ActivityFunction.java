package dev.weft.activity;

import org.jspecify.annotations.Nullable;

/**
 * The body of an activity: does the work, may have side effects, may throw. It may block; it runs
 * on its own virtual thread, which is interrupted when its cancellation signal fires.
 */
@FunctionalInterface
public interface ActivityFunction<I, R> {

    @Nullable R execute(@Nullable I input, ActivityContext context) throws Exception;
}
