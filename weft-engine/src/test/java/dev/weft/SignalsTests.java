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
                .hasMessage("a signal name must be 1 to 200 characters");
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
                .hasMessage("signalId must be 1 to 128 bytes");
    }
}
