package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResultWaitTests {

    private final ResultWait defaultOverMax = new ResultWait(Duration.ofSeconds(30), Duration.ofSeconds(2));

    @Test
    void noTimeoutWaitsTheDefaultCutToTheMaximum() {
        assertThat(defaultOverMax.of(null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaultOverMax.of(" ")).isEqualTo(Duration.ofSeconds(2));
        assertThat(new ResultWait(Duration.ofSeconds(1), Duration.ofSeconds(60)).of(null)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anExplicitTimeoutIsCutToTheMaximum() {
        assertThat(defaultOverMax.of("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(defaultOverMax.of("PT1M")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aMalformedOrNegativeTimeoutIsRefusedNamingTheField() {
        assertThatThrownBy(() -> defaultOverMax.of("soon")).isInstanceOf(ApiException.class).hasMessageContaining("\"timeout\"");
        assertThatThrownBy(() -> defaultOverMax.of("-1s")).isInstanceOf(ApiException.class).hasMessageContaining("negative");
    }
}
