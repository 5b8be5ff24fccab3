package io.tollgate.shared.net;

import io.tollgate.shared.net.PercentDecoding.MalformedException;
import io.tollgate.shared.net.PercentDecoding.Plus;
import io.tollgate.shared.net.PercentDecoding.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PercentDecodingTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // RFC 3986 §2.1: either case of hex digit; §2.3: an encoded unreserved character is that character
            "%41%42c|ABc",
            "%7e%7E|~~",
            "%2F%2f|//",
            "a%20b|a b",
            "%25|%",
            "%2525|%25",          // decoded once only
            "J%C3%BCrgen|Jürgen",
            "%E2%82%AC|€",
            "%F0%9F%98%80|😀",
            "/mobile/%2e%2e/admin|/mobile/../admin",
            "plain-._~!$&'()*,;=:@/|plain-._~!$&'()*,;=:@/"})
    void decodesRfc3986Escapes(String encoded, String decoded) {
        assertThat(PercentDecoding.decode(encoded, Plus.LITERAL)).isEqualTo(decoded);
        assertThat(PercentDecoding.decodeOrNull(encoded, Plus.LITERAL)).isEqualTo(decoded);
    }

    @Test
    void thePlusSignIsTheCallersChoice() {
        assertThat(PercentDecoding.decode("a+b%2Bc", Plus.LITERAL)).isEqualTo("a+b+c");
        assertThat(PercentDecoding.decode("a+b%2Bc", Plus.SPACE)).isEqualTo("a b+c");
        assertThat(PercentDecoding.decode("J%C3%BCrgen+K", Plus.SPACE)).isEqualTo("Jürgen K");
    }

    @Test
    void anEmptyOrPlainTextIsItself() {
        String plain = "/mobile/orders";
        assertThat(PercentDecoding.decode(plain, Plus.SPACE)).isSameAs(plain);
        assertThat(PercentDecoding.decode("", Plus.LITERAL)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%4", "a%", "%G1", "%1G", "%%41", "%-1", "%+1", "% 1", "%\u0661\u0662", "%4%41"})
    void refusesMalformedEscapes(String encoded) {
        assertThat(PercentDecoding.decodeOrNull(encoded, Plus.LITERAL)).isNull();
        assertThatThrownBy(() -> PercentDecoding.decode(encoded, Plus.SPACE)).isInstanceOf(MalformedException.class)
                .satisfies(e -> assertThat(((MalformedException) e).problem())
                        .isIn(Problem.MALFORMED_ESCAPE, Problem.RAW_NON_ASCII))
                .hasMessageNotContaining(encoded.length() > 1 ? encoded : "\0");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "%C0%AE",            // overlong '.'
            "%C0%AF",            // overlong '/'
            "%E0%80%AE",         // overlong, three bytes
            "%C3",               // truncated sequence
            "%C3%28",            // bad continuation byte
            "%FF%FE",            // bytes UTF-8 never uses
            "%ED%A0%80",         // a UTF-16 surrogate
            "%F4%90%80%80",      // above U+10FFFF
            "%80"})              // a lone continuation byte
    void refusesBytesThatAreNotUtf8(String encoded) {
        assertThat(PercentDecoding.decodeOrNull(encoded, Plus.LITERAL)).isNull();
        assertThatThrownBy(() -> PercentDecoding.decode(encoded, Plus.LITERAL))
                .isInstanceOf(MalformedException.class)
                .satisfies(e -> assertThat(((MalformedException) e).problem()).isEqualTo(Problem.NOT_UTF8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"J\u00fcrgen", "caf\u00e9%20", "\u20ac"})
    void refusesRawCharactersOutsideAscii(String raw) {
        assertThat(PercentDecoding.decodeOrNull(raw, Plus.LITERAL)).isNull();
        assertThatThrownBy(() -> PercentDecoding.decode(raw, Plus.SPACE))
                .satisfies(e -> assertThat(((MalformedException) e).problem()).isEqualTo(Problem.RAW_NON_ASCII));
    }
}
