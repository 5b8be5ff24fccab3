package io.tollgate.gateway.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsciiTest {
    private static final boolean[] NONE = Ascii.alphaNumOr("");
    private static final boolean[] UNRESERVED = Ascii.alphaNumOr("-._~");

    @Test
    void lettersDigitsAndTheRulesOwnCharactersOnly() {
        assertThat(Ascii.allIn("azAZ09", NONE)).isTrue();
        assertThat(Ascii.allIn("a-b.c", Ascii.alphaNumOr("-."))).isTrue();
        assertThat(Ascii.allIn("a_b", Ascii.alphaNumOr("-."))).isFalse();
        assertThat(Ascii.allIn("", NONE)).isTrue();
    }

    @Test
    void lettersAndDigitsBeyondAsciiAreRefused() {
        boolean[] dash = Ascii.alphaNumOr("-");
        assertThat(Ascii.in(dash, 'é')).isFalse();
        assertThat(Ascii.in(dash, '\uFF11')).isFalse(); // FULLWIDTH DIGIT ONE
        assertThat(Ascii.in(dash, '\u0130')).isFalse(); // LATIN CAPITAL I WITH DOT ABOVE
        assertThat(Ascii.in(dash, '\0')).isFalse();
        assertThat(Ascii.in(dash, '@')).isFalse();
        assertThat(Ascii.in(dash, '[')).isFalse();
        assertThat(Ascii.in(dash, '`')).isFalse();
    }

    @Test
    void aClassOfNonAsciiCharactersIsRefused() {
        assertThatThrownBy(() -> Ascii.alphaNumOr("-é")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyCharacterIsClassedAsTheGrammarSays() {
        for (int i = Character.MIN_VALUE; i <= Character.MAX_VALUE; i++) {
            char c = (char) i;
            boolean alphaNum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            assertThat(Ascii.in(NONE, c)).as("U+%04X", i).isEqualTo(alphaNum);
            assertThat(Ascii.in(UNRESERVED, c)).as("U+%04X", i).isEqualTo(alphaNum || "-._~".indexOf(c) >= 0);
        }
    }
}
