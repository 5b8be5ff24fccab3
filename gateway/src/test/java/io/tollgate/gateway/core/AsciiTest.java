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
}
