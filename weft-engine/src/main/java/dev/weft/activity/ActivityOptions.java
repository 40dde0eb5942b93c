package dev.weft.activity;

import dev.weft.failure.DefinitionNames;
import dev.weft.failure.InvalidDefinitionException;
import dev.weft.retry.RetryOverride;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of an activity: on its definition, and per call to override the definition's. Every
 * option is optional; an unset one falls through to the layer beneath (call, then definition, then
 * the engine's defaults).
 */
public final class ActivityOptions {

    private static final ActivityOptions NONE = builder().build();

    private final RetryOverride retry;
    private final @Nullable Duration timeout;
    private final @Nullable Duration scheduleToCloseTimeout;
    private final @Nullable String queue;
    private final @Nullable String compensation;
    private final @Nullable String idempotencyKey;
    private final @Nullable Duration visibilityTimeout;
    private final @Nullable Integer priority;
    private final @Nullable String fairnessKey;

    private ActivityOptions(Builder builder) {
        this.retry = builder.retry;
        this.timeout = builder.timeout;
        this.scheduleToCloseTimeout = builder.scheduleToCloseTimeout;
        this.queue = builder.queue;
        this.compensation = builder.compensation;
        this.idempotencyKey = builder.idempotencyKey;
        this.visibilityTimeout = builder.visibilityTimeout;
        this.priority = builder.priority;
        this.fairnessKey = builder.fairnessKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No options: everything falls through. */
    public static ActivityOptions none() {
        return NONE;
    }

    public RetryOverride retry() {
        return retry;
    }

    /** The per-attempt wall-clock cap of an inline attempt; a retry gets a fresh one. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The budget for all attempts and the backoffs between them, from the first dispatch. */
    public Optional<Duration> scheduleToCloseTimeout() {
        return Optional.ofNullable(scheduleToCloseTimeout);
    }

    /** The queue a worker pool claims the activity from; unset runs it inline. */
    public Optional<String> queue() {
        return Optional.ofNullable(queue);
    }

    /**
     * How long a worker's claim of a queued attempt lasts unless the worker extends it (its pool
     * does while the worker lives): after a worker dies, its task is claimed again this long after
     * the last extension. Unset: {@link QueueName#DEFAULT_VISIBILITY_TIMEOUT}. Queued calls only.
     */
    public Optional<Duration> visibilityTimeout() {
        return Optional.ofNullable(visibilityTimeout);
    }

    /** A queued call's priority: higher is claimed first. Unset: 0. */
    public Optional<Integer> priority() {
        return Optional.ofNullable(priority);
    }

    /**
     * A queued call's fairness key (a tenant, a customer): in a fair queue, keys take turns, so one
     * key with many tasks does not hold back the others.
     */
    public Optional<String> fairnessKey() {
        return Optional.ofNullable(fairnessKey);
    }

    /**
     * The activity that undoes this one inside a {@link dev.weft.workflow.WorkflowContext#saga saga}:
     * it is called with {@code {"input": <this call's input>, "output": <its result>}}.
     */
    public Optional<String> compensation() {
        return Optional.ofNullable(compensation);
    }

    /**
     * The call's idempotency key. Before each attempt of a keyed call is dispatched, a
     * reconciliation record is committed (fenced by the run's epoch); once an attempt returns, its
     * result is recorded at once. A replay or a later call of the same activity with the same key
     * in the run returns the recorded result without running the activity; a record left started
     * by a crash is reconciled by the definition's {@link ActivityVerifier}, or fails the step
     * closed. Only the key's SHA-256 digest is stored.
     */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /** {@code top} laid over these options: an option set in {@code top} wins. */
    public ActivityOptions overriddenBy(ActivityOptions top) {
        Builder merged = new Builder();
        merged.retry = retry.overriddenBy(top.retry);
        merged.timeout = top.timeout != null ? top.timeout : timeout;
        merged.scheduleToCloseTimeout = top.scheduleToCloseTimeout != null ? top.scheduleToCloseTimeout : scheduleToCloseTimeout;
        merged.queue = top.queue != null ? top.queue : queue;
        merged.compensation = top.compensation != null ? top.compensation : compensation;
        merged.idempotencyKey = top.idempotencyKey != null ? top.idempotencyKey : idempotencyKey;
        merged.visibilityTimeout = top.visibilityTimeout != null ? top.visibilityTimeout : visibilityTimeout;
        merged.priority = top.priority != null ? top.priority : priority;
        merged.fairnessKey = top.fairnessKey != null ? top.fairnessKey : fairnessKey;
        return merged.build();
    }

    public Builder toBuilder() {
        Builder copy = new Builder();
        copy.retry = retry;
        copy.timeout = timeout;
        copy.scheduleToCloseTimeout = scheduleToCloseTimeout;
        copy.queue = queue;
        copy.compensation = compensation;
        copy.idempotencyKey = idempotencyKey;
        copy.visibilityTimeout = visibilityTimeout;
        copy.priority = priority;
        copy.fairnessKey = fairnessKey;
        return copy;
    }

    @Override
    public String toString() {
        return "ActivityOptions[retry=" + retry + ", timeout=" + timeout + ", scheduleToCloseTimeout="
                + scheduleToCloseTimeout + ", queue=" + queue + ", visibilityTimeout=" + visibilityTimeout
                + ", priority=" + priority + ", compensation=" + compensation
                + (idempotencyKey == null ? "" : ", keyed") + "]";
    }

    /** Builds {@link ActivityOptions}; validates durations as they are set. */
    public static final class Builder {

        private RetryOverride retry = RetryOverride.none();
        private @Nullable Duration timeout;
        private @Nullable Duration scheduleToCloseTimeout;
        private @Nullable String queue;
        private @Nullable String compensation;
        private @Nullable String idempotencyKey;
        private @Nullable Duration visibilityTimeout;
        private @Nullable Integer priority;
        private @Nullable String fairnessKey;

        private Builder() {
        }

        public Builder retry(RetryOverride retry) {
            this.retry = retry;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = positive("timeout", timeout);
            return this;
        }

        public Builder scheduleToCloseTimeout(Duration scheduleToCloseTimeout) {
            this.scheduleToCloseTimeout = positive("scheduleToCloseTimeout", scheduleToCloseTimeout);
            return this;
        }

        /** Runs the activity on queue {@code queue}: 1 to 100 letters, digits, '_' or '-'. */
        public Builder queue(String queue) {
            this.queue = QueueName.check(queue);
            return this;
        }

        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = positive("visibilityTimeout", visibilityTimeout);
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** See {@link ActivityOptions#fairnessKey()}: 1 to 200 characters of valid Unicode, no control characters. */
        public Builder fairnessKey(String key) {
            if (!DefinitionNames.isValidKey(key) || key.length() > 200) {
                throw new InvalidDefinitionException("an activity's fairness key must be 1 to 200 characters of valid Unicode "
                        + "with no control characters");
            }
            this.fairnessKey = key;
            return this;
        }

        /** Names the activity that undoes this one in a saga; see {@link ActivityOptions#compensation()}. */
        public Builder compensation(String activity) {
            DefinitionNames.check("a compensating activity's name", activity);
            this.compensation = activity;
            return this;
        }

        /** See {@link ActivityOptions#idempotencyKey()}: 1 to 255 characters of valid Unicode, no control characters. */
        public Builder idempotencyKey(String key) {
            if (!DefinitionNames.isValidKey(key)) {
                throw new InvalidDefinitionException("an activity's idempotency key must be 1 to 255 characters of valid Unicode "
                        + "with no control characters");
            }
            this.idempotencyKey = key;
            return this;
        }

        public ActivityOptions build() {
            return new ActivityOptions(this);
        }

        private static Duration positive(String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new InvalidDefinitionException("activity " + name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
