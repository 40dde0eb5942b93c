package dev.weft.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.failure.FailureCategory;
import dev.weft.failure.FailureInfo;
import dev.weft.failure.InvalidDefinitionException;
import dev.weft.failure.NonRetryableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTests {

    @Test
    void defaultsAreThreeAttemptsFromOneSecondDoublingCappedAtThirty() {
        RetryPolicy policy = RetryPolicy.defaults();

        assertThat(policy.maxAttempts()).isEqualTo(3);
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoffAfter(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.backoffAfter(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.backoffAfter(60)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void maxAttemptsCountsTheFirstAttempt() {
        FailureInfo failure = FailureInfo.of(new IllegalStateException("x"));
        RetryPolicy policy = RetryPolicy.defaults();

        assertThat(policy.allowsRetry(1, failure)).isTrue();
        assertThat(policy.allowsRetry(2, failure)).isTrue();
        assertThat(policy.allowsRetry(3, failure)).isFalse();
        assertThat(RetryPolicy.noRetries().allowsRetry(1, failure)).isFalse();
    }

    @Test
    void nonRetryableMatchesByNameOrMessageOrCode() {
        RetryPolicy policy = RetryPolicy.defaults().withNonRetryableErrors(List.of("NotFound", "java.io.EOFException", "exact message"));

        assertThat(policy.isNonRetryable(new FailureInfo("com.acme.NotFound", "", FailureCategory.APPLICATION, null, null))).isTrue();
        assertThat(policy.isNonRetryable(FailureInfo.of(new java.io.EOFException()))).isTrue();
        assertThat(policy.isNonRetryable(FailureInfo.of(new RuntimeException("exact message")))).isTrue();
        assertThat(policy.isNonRetryable(FailureInfo.of(new RuntimeException("exact message, longer")))).isFalse();
        assertThat(RetryPolicy.defaults().isNonRetryable(FailureInfo.of(new NonRetryableException("stop")))).isTrue();
    }

    @Test
    void invalidValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> RetryPolicy.defaults().withMaxAttempts(0)).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.defaults().withBackoffMultiplier(0.5)).isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("backoffMultiplier");
        assertThatThrownBy(() -> RetryPolicy.defaults().withInitialBackoff(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("initialBackoff");
    }

    @Test
    void overridesLayerFieldByField() {
        RetryOverride definition = RetryOverride.none().maxAttempts(5).initialBackoff(Duration.ofMillis(10));
        RetryOverride call = RetryOverride.none().maxAttempts(2);

        RetryPolicy effective = definition.overriddenBy(call).applyTo(RetryPolicy.defaults());

        assertThat(effective.maxAttempts()).isEqualTo(2);
        assertThat(effective.initialBackoff()).isEqualTo(Duration.ofMillis(10));
        assertThat(effective.maxBackoff()).isEqualTo(RetryPolicy.DEFAULT_MAX_BACKOFF);
    }
}
