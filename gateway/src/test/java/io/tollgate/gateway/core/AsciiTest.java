package io.tollgate.gateway.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsciiTest {
    @Test
    void lettersDigitsAndTheRulesOwnCharactersOnly() {
        assertThat(Ascii.allAlphaNumOr("azAZ09", "")).isTrue();
        assertThat(Ascii.allAlphaNumOr("a-b.c", "-.")).isTrue();
        assertThat(Ascii.allAlphaNumOr("a_b", "-.")).isFalse();
        assertThat(Ascii.allAlphaNumOr("", "")).isTrue();
    }

    @Test
    void lettersAndDigitsBeyondAsciiAreRefused() {
        assertThat(Ascii.alphaNumOr('é', "-")).isFalse();
        assertThat(Ascii.alphaNumOr('\uFF11', "-")).isFalse(); // FULLWIDTH DIGIT ONE
        assertThat(Ascii.alphaNumOr('\u0130', "-")).isFalse(); // LATIN CAPITAL I WITH DOT ABOVE
        assertThat(Ascii.alphaNumOr('\0', "-")).isFalse();
        assertThat(Ascii.alphaNumOr('@', "-")).isFalse();
        assertThat(Ascii.alphaNumOr('[', "-")).isFalse();
        assertThat(Ascii.alphaNumOr('`', "-")).isFalse();
    }

    @Test
    void everyCharacterIsClassedAsTheGrammarSays() {
        for (int i = Character.MIN_VALUE; i <= Character.MAX_VALUE; i++) {
            char c = (char) i;
            boolean alphaNum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            assertThat(Ascii.alphaNumOr(c, "")).as("U+%04X", i).isEqualTo(alphaNum);
            assertThat(Ascii.alphaNumOr(c, "-._~")).as("U+%04X", i).isEqualTo(alphaNum || "-._~".indexOf(c) >= 0);
        }
    }
}
