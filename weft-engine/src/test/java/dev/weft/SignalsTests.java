package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SignalsTests {

    @Test
    void aNameIsOneToTwoHundredCharactersAndNotBlank() {
        assertThat(Signals.isValidName("approve")).isTrue();
        assertThat(Signals.isValidName("n".repeat(200))).isTrue();
        assertThat(Signals.isValidName("n".repeat(201))).isFalse();
        assertThat(Signals.isValidName("")).isFalse();
        assertThat(Signals.isValidName("  ")).isFalse();
        assertThatThrownBy(() -> Signals.requireValidName(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a signal name must be 1 to 200 characters of valid Unicode with no control characters");
    }

    @Test
    void aSignalIdIsCountedInUtf8Bytes() {
        assertThat(Signals.isValidId("s".repeat(128))).isTrue();
        assertThat(Signals.isValidId("s".repeat(129))).isFalse();
        // two bytes each in UTF-8
        assertThat(Signals.isValidId("\u00e9".repeat(64))).isTrue();
        assertThat(Signals.isValidId("\u00e9".repeat(65))).isFalse();
        assertThat(Signals.isValidId(" ")).isFalse();
        assertThat(Signals.requireValidId(null)).isNull();
        assertThatThrownBy(() -> Signals.requireValidId("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("signalId must be 1 to 128 bytes of valid Unicode with no control characters");
    }

    @Test
    void namesAndIdsWithANulOrALoneSurrogateAreRefusedBeforeTheStoreSeesThem() {
        assertThat(Signals.isValidName("app\u0000rove")).isFalse();
        assertThat(Signals.isValidName("approve\uDC00")).isFalse();
        assertThat(Signals.isValidName("approve-\uD83D\uDC4D")).isTrue();
        assertThat(Signals.isValidId("s-\u0000")).isFalse();
        assertThat(Signals.isValidId("\uD800s")).isFalse();
        assertThatThrownBy(() -> StartOptions.withId("order-\uD800")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workflow id must be valid Unicode with no control characters");
        assertThatThrownBy(() -> StartOptions.withId("order-\u0000")).isInstanceOf(IllegalArgumentException.class);
    }
}
