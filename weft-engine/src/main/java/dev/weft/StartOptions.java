package dev.weft;

import dev.weft.failure.DefinitionNames;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Options of a new run. */
public final class StartOptions {

    /** The longest run id the store accepts. */
    public static final int MAX_ID_LENGTH = 200;

    /** The longest idempotency key accepted, in characters. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = DefinitionNames.MAX_KEY_LENGTH;

    private static final StartOptions DEFAULTS = builder().build();

    /** What a start with an idempotency key does when the run the key led to has ended. */
    public enum IfEnded {

        /** Refuse the start with {@link dev.weft.failure.WorkflowAlreadyExistsException}, naming the ended run. */
        FAIL,

        /** Start a new run, which records the ended run it restarted from; the key leads to the new run from then on. */
        START_NEW
    }

    private final @Nullable String id;
    private final @Nullable Duration executionTimeout;
    private final @Nullable String idempotencyKey;
    private final IfEnded ifEnded;
    private final @Nullable ConcurrencyLimit concurrency;

    private StartOptions(Builder builder) {
        this.id = builder.id;
        this.executionTimeout = builder.executionTimeout;
        this.idempotencyKey = builder.idempotencyKey;
        this.ifEnded = builder.ifEnded;
        this.concurrency = builder.concurrency;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A generated id and nothing else. */
    public static StartOptions defaults() {
        return DEFAULTS;
    }

    /** Starts the run under the given id. */
    public static StartOptions withId(String id) {
        return builder().id(id).build();
    }

    /** The run id; a random UUID is generated when empty. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /**
     * How long the run may take from its start: past it, the run ends {@link WorkflowStatus#TIMED_OUT}
     * and its in-flight activities see their cancellation signal. The deadline is stored with the
     * run, so a restart does not extend it.
     */
    public Optional<Duration> executionTimeout() {
        return Optional.ofNullable(executionTimeout);
    }

    /**
     * The idempotency key: a second start of the same workflow type with the same key, on any
     * node, returns the run the first one created instead of starting another. The database
     * decides atomically which start creates it. Only the key's SHA-256 digest is stored.
     */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /** What a keyed start does when the key's run has ended: {@link IfEnded#FAIL} by default. */
    public IfEnded ifEnded() {
        return ifEnded;
    }

    /**
     * The run's concurrency key and limit: at most that many runs of its type and key run at once,
     * cluster-wide; a start beyond it queues ({@link WorkflowStatus#QUEUED}) or is refused. See
     * {@link ConcurrencyLimit}.
     */
    public Optional<ConcurrencyLimit> concurrency() {
        return Optional.ofNullable(concurrency);
    }

    /** Builds {@link StartOptions}. */
    public static final class Builder {

        private @Nullable String id;
        private @Nullable Duration executionTimeout;
        private @Nullable String idempotencyKey;
        private IfEnded ifEnded = IfEnded.FAIL;
        private @Nullable ConcurrencyLimit concurrency;

        /** See {@link StartOptions#executionTimeout()}; must be positive. */
        public Builder executionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("executionTimeout must be positive, was " + timeout);
            }
            this.executionTimeout = timeout;
            return this;
        }

        private Builder() {
        }

        /** The run id: 1 to {@value #MAX_ID_LENGTH} characters of valid Unicode, no control characters. */
        public Builder id(String id) {
            if (id.isBlank()) {
                throw new IllegalArgumentException("workflow id must not be blank");
            }
            if (id.length() > MAX_ID_LENGTH) {
                throw new IllegalArgumentException("workflow id must be at most " + MAX_ID_LENGTH + " characters, was " + id.length());
            }
            if (!DefinitionNames.isPlainText(id)) {
                throw new IllegalArgumentException("workflow id must be valid Unicode with no control characters");
            }
            this.id = id;
            return this;
        }

        /**
         * See {@link StartOptions#idempotencyKey()}: 1 to {@value #MAX_IDEMPOTENCY_KEY_LENGTH}
         * characters of valid Unicode, no control characters. Not with an explicit {@link #id}.
         */
        public Builder idempotencyKey(String key) {
            if (key.isBlank()) {
                throw new IllegalArgumentException("idempotency key must not be blank");
            }
            if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
                throw new IllegalArgumentException("idempotency key must be at most " + MAX_IDEMPOTENCY_KEY_LENGTH
                        + " characters, was " + key.length());
            }
            if (!DefinitionNames.isPlainText(key)) {
                throw new IllegalArgumentException("idempotency key must be valid Unicode with no control characters");
            }
            this.idempotencyKey = key;
            return this;
        }

        /** See {@link StartOptions#ifEnded()}. */
        public Builder ifEnded(IfEnded ifEnded) {
            this.ifEnded = Objects.requireNonNull(ifEnded, "ifEnded");
            return this;
        }

        /** See {@link StartOptions#concurrency()}: a start over the limit queues. */
        public Builder concurrency(String key, int limit) {
            return concurrency(ConcurrencyLimit.of(key, limit));
        }

        /** See {@link StartOptions#concurrency()}. */
        public Builder concurrency(ConcurrencyLimit limit) {
            this.concurrency = Objects.requireNonNull(limit, "concurrency");
            return this;
        }

        /**
         * @throws IllegalArgumentException when both an id and an idempotency key are given: the
         *     key chooses the run, so an id of the caller's could contradict it
         */
        public StartOptions build() {
            if (id != null && idempotencyKey != null) {
                throw new IllegalArgumentException("give a workflow id or an idempotency key, not both: "
                        + "a keyed start finds or creates its run by the key");
            }
            return new StartOptions(this);
        }
    }
}
