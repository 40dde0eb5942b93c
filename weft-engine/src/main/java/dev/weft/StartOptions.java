package dev.weft;

import dev.weft.failure.DefinitionNames;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Options of a new run. */
public final class StartOptions {

    /** The longest run id the store accepts. */
    public static final int MAX_ID_LENGTH = 200;

    private static final StartOptions DEFAULTS = builder().build();

    private final @Nullable String id;
    private final @Nullable Duration executionTimeout;

    private StartOptions(Builder builder) {
        this.id = builder.id;
        this.executionTimeout = builder.executionTimeout;
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

    /** Builds {@link StartOptions}. */
    public static final class Builder {

        private @Nullable String id;
        private @Nullable Duration executionTimeout;

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

        public StartOptions build() {
            return new StartOptions(this);
        }
    }
}
