package dev.weft.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Free text is stored as it is when every database holds it, escaped otherwise, and always read back exactly. */
class StoredTextTests {

    @Test
    void plainTextIsStoredAsItIsEvenWithBackslashesAndSurrogatePairs() {
        String plain = "C:\\temp\\n not found 😀 ünïcode";

        assertThat(StoredText.encode(plain)).isSameAs(plain);
        assertThat(StoredText.decode(plain)).isSameAs(plain);
        assertThat(StoredText.encode(null)).isNull();
        assertThat(StoredText.decode(null)).isNull();
    }

    @Test
    void nulAndLoneSurrogatesAreEscapedWithoutLeavingAnyInTheStoredForm() {
        String stored = StoredText.encode("bad\u0000message \\0 \ud800 \udc00");

        assertThat(stored).isEqualTo("weft-escaped:bad\\0message \\\\0 \\uD800 \\uDC00").doesNotContain("\u0000");
        assertThat(stored.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "\u0000", "a\u0000", "\u0000\u0000b", "\\", "\\0", "\\u0041", "\ud800", "x\udfff",
            "\ud83d\ude00\u0000", "weft-escaped:", "weft-escaped:\\0", "weft-escaped:plain", "tail\\", "\ud800\ud800\udc00"})
    void everyTextIsReadBackExactlyAsItWasGiven(String text) {
        assertThat(StoredText.decode(StoredText.encode(text))).isEqualTo(text);
    }

    @Test
    void aTextThatLooksEscapedIsEscapedAgainSoItIsNeverMistakenForOne() {
        assertThat(StoredText.encode("weft-escaped:\\0")).isEqualTo("weft-escaped:weft-escaped:\\\\0");
    }
}
