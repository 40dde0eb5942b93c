package dev.weft.retry;

import dev.weft.failure.FailureInfo;
import dev.weft.failure.InvalidDefinitionException;
import dev.weft.failure.NonRetryableException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an activity is retried: up to {@code maxAttempts} attempts in all (the first included), with
 * a backoff before attempt n+1 of {@code min(initialBackoff * backoffMultiplier^(n-1), maxBackoff)}.
 *
 * @param nonRetryableErrors failures that end the activity at once: an entry matches an
 *     exception's simple class name, its fully qualified class name, or its exact message
 */
public record RetryPolicy(
        int maxAttempts, Duration initialBackoff, double backoffMultiplier, Duration maxBackoff, List<String> nonRetryableErrors) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    private static final RetryPolicy DEFAULTS = new RetryPolicy(
            DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_BACKOFF_MULTIPLIER, DEFAULT_MAX_BACKOFF, List.of());

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        nonRetryableErrors = List.copyOf(nonRetryableErrors);
        if (maxAttempts < 1) {
            throw new InvalidDefinitionException("retry maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative()) {
            throw new InvalidDefinitionException("retry initialBackoff must not be negative, was " + initialBackoff);
        }
        if (maxBackoff.isNegative()) {
            throw new InvalidDefinitionException("retry maxBackoff must not be negative, was " + maxBackoff);
        }
        if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
            throw new InvalidDefinitionException("retry backoffMultiplier must be a finite number of at least 1, was " + backoffMultiplier);
        }
    }

    /** 3 attempts, 1 s initial backoff, multiplier 2, backoff capped at 30 s, every error retryable. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A policy of a single attempt. */
    public static RetryPolicy noRetries() {
        return DEFAULTS.withMaxAttempts(1);
    }

    public RetryPolicy withMaxAttempts(int value) {
        return new RetryPolicy(value, initialBackoff, backoffMultiplier, maxBackoff, nonRetryableErrors);
    }

    public RetryPolicy withInitialBackoff(Duration value) {
        return new RetryPolicy(maxAttempts, value, backoffMultiplier, maxBackoff, nonRetryableErrors);
    }

    public RetryPolicy withBackoffMultiplier(double value) {
        return new RetryPolicy(maxAttempts, initialBackoff, value, maxBackoff, nonRetryableErrors);
    }

    public RetryPolicy withMaxBackoff(Duration value) {
        return new RetryPolicy(maxAttempts, initialBackoff, backoffMultiplier, value, nonRetryableErrors);
    }

    public RetryPolicy withNonRetryableErrors(List<String> value) {
        return new RetryPolicy(maxAttempts, initialBackoff, backoffMultiplier, maxBackoff, value);
    }

    /** The wait before attempt {@code failedAttempt + 1}, after attempt {@code failedAttempt} failed. */
    public Duration backoffAfter(int failedAttempt) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("attempts are counted from 1, was " + failedAttempt);
        }
        double nanos = initialBackoff.toNanos() * Math.pow(backoffMultiplier, failedAttempt - 1);
        if (nanos >= maxBackoff.toNanos()) {
            return maxBackoff;
        }
        return Duration.ofNanos((long) nanos);
    }

    /** Whether another attempt may follow a failed attempt {@code failedAttempt} with this failure. */
    public boolean allowsRetry(int failedAttempt, FailureInfo failure) {
        return failedAttempt < maxAttempts && !isNonRetryable(failure);
    }

    /** Whether the failure ends the activity at once, whatever attempts are left. */
    public boolean isNonRetryable(FailureInfo failure) {
        if (NonRetryableException.CODE.equals(failure.code())) {
            return true;
        }
        return nonRetryableErrors.stream().anyMatch(entry -> entry.equals(failure.simpleType())
                || entry.equals(failure.type()) || entry.equals(failure.message()));
    }
}
