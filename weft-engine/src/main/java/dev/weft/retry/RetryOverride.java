package dev.weft.retry;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Some fields of a {@link RetryPolicy}, to lay over another: an activity definition's override
 * lies over the engine's default policy, and a call's over the definition's. A {@code null} field
 * keeps the value beneath.
 */
public record RetryOverride(
        @Nullable Integer maxAttempts,
        @Nullable Duration initialBackoff,
        @Nullable Double backoffMultiplier,
        @Nullable Duration maxBackoff,
        @Nullable List<String> nonRetryableErrors) {

    private static final RetryOverride NONE = new RetryOverride(null, null, null, null, null);

    public RetryOverride {
        nonRetryableErrors = nonRetryableErrors == null ? null : List.copyOf(nonRetryableErrors);
    }

    /** Overrides nothing. */
    public static RetryOverride none() {
        return NONE;
    }

    /** Overrides every field with the policy's. */
    public static RetryOverride of(RetryPolicy policy) {
        return new RetryOverride(policy.maxAttempts(), policy.initialBackoff(), policy.backoffMultiplier(),
                policy.maxBackoff(), policy.nonRetryableErrors());
    }

    public RetryOverride maxAttempts(int value) {
        return new RetryOverride(value, initialBackoff, backoffMultiplier, maxBackoff, nonRetryableErrors);
    }

    public RetryOverride initialBackoff(Duration value) {
        return new RetryOverride(maxAttempts, value, backoffMultiplier, maxBackoff, nonRetryableErrors);
    }

    public RetryOverride backoffMultiplier(double value) {
        return new RetryOverride(maxAttempts, initialBackoff, value, maxBackoff, nonRetryableErrors);
    }

    public RetryOverride maxBackoff(Duration value) {
        return new RetryOverride(maxAttempts, initialBackoff, backoffMultiplier, value, nonRetryableErrors);
    }

    public RetryOverride nonRetryableErrors(List<String> value) {
        return new RetryOverride(maxAttempts, initialBackoff, backoffMultiplier, maxBackoff, value);
    }

    /** This override laid over {@code base}: a field set here wins. */
    public RetryPolicy applyTo(RetryPolicy base) {
        return new RetryPolicy(
                maxAttempts != null ? maxAttempts : base.maxAttempts(),
                initialBackoff != null ? initialBackoff : base.initialBackoff(),
                backoffMultiplier != null ? backoffMultiplier : base.backoffMultiplier(),
                maxBackoff != null ? maxBackoff : base.maxBackoff(),
                nonRetryableErrors != null ? nonRetryableErrors : base.nonRetryableErrors());
    }

    /** {@code top} laid over this override: a field set in {@code top} wins. */
    public RetryOverride overriddenBy(RetryOverride top) {
        return new RetryOverride(
                top.maxAttempts != null ? top.maxAttempts : maxAttempts,
                top.initialBackoff != null ? top.initialBackoff : initialBackoff,
                top.backoffMultiplier != null ? top.backoffMultiplier : backoffMultiplier,
                top.maxBackoff != null ? top.maxBackoff : maxBackoff,
                top.nonRetryableErrors != null ? top.nonRetryableErrors : nonRetryableErrors);
    }
}
