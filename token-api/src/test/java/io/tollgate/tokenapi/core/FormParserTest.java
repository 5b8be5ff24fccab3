package io.tollgate.tokenapi.core;

import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormParserTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesPercentPlusAndUtf8() {
        var form = FormParser.parse(bytes("grant_type=password&username=J%C3%BCrgen+K&password=a%2Bb%26c%3D"));
        assertThat(form).containsEntry("grant_type", "password").containsEntry("username", "Jürgen K")
                .containsEntry("password", "a+b&c=");
    }

    @Test
    void emptyValuesCountAsOmittedAndEmptyPairsAreSkipped() {
        var form = FormParser.parse(bytes("scope=&&grant_type=password&flag"));
        assertThat(form).containsOnlyKeys("grant_type");
    }

    @Test
    void refusesRepeatedParametersEvenWithTheSameValue() {
        assertThatThrownBy(() -> FormParser.parse(bytes("grant_type=password&grant_type=password")))
                .isInstanceOf(OAuthException.class).hasMessageContaining("grant_type is repeated")
                .satisfies(e -> assertThat(((OAuthException) e).error()).isEqualTo(OAuthError.INVALID_REQUEST));
        assertThatThrownBy(() -> FormParser.parse(bytes("scope=&scope=read"))).isInstanceOf(OAuthException.class);
    }

    @Test
    void aRepeatableParameterKeepsEveryValueInOrderAndOnlyItMayRepeat() {
        var form = FormParser.parse(bytes("resource=orders&grant_type=password&resource=&resource=m%6Fbile"),
                java.util.Set.of("resource"));
        assertThat(form.params()).containsOnlyKeys("grant_type");
        assertThat(form.all("resource")).containsExactly("orders", "mobile");
        assertThat(form.all("scope")).isEmpty();
        assertThatThrownBy(() -> FormParser.parse(bytes("resource=a&scope=x&scope=y"), java.util.Set.of("resource")))
                .hasMessageContaining("scope is repeated");
        // without the exception, resource is a parameter like any other
        assertThatThrownBy(() -> FormParser.parse(bytes("resource=a&resource=b")))
                .hasMessageContaining("resource is repeated");
    }

    @Test
    void refusesInvalidUtf8AndMalformedEscapes() {
        assertThatThrownBy(() -> FormParser.parse(bytes("username=%FF%FE"))).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> FormParser.parse(bytes("username=%C3"))).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> FormParser.parse(bytes("username=%G1"))).hasMessageContaining("percent");
        assertThatThrownBy(() -> FormParser.parse(bytes("username=%4"))).hasMessageContaining("percent");
        assertThatThrownBy(() -> FormParser.parse(bytes("=x"))).hasMessageContaining("no name");
    }

    @Test
    void refusesRawNonAsciiBytes() {
        assertThatThrownBy(() -> FormParser.parse(new byte[] {'u', '=', (byte) 0xff})).isInstanceOf(OAuthException.class);
        // raw UTF-8 (ü) instead of %C3%BC: a form carries non-ASCII only percent-encoded
        assertThatThrownBy(() -> FormParser.parse(new byte[] {'u', '=', (byte) 0xc3, (byte) 0xbc}))
                .isInstanceOf(OAuthException.class).hasMessageContaining("ASCII");
    }

    @Test
    void limitsTheBody() {
        byte[] body = new byte[101];
        assertThatThrownBy(() -> FormParser.readLimited(new ByteArrayInputStream(body), 100))
                .hasMessageContaining("too large");
        assertThat(FormParser.readLimited(new ByteArrayInputStream(new byte[100]), 100)).hasSize(100);
    }

    @Test
    void acceptsOnlyTheFormContentType() {
        FormParser.requireFormContentType("application/x-www-form-urlencoded");
        FormParser.requireFormContentType("Application/X-WWW-Form-Urlencoded; charset=utf-8");
        for (String bad : new String[] {null, "application/json", "text/plain", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded; charset=ISO-8859-1"}) {
            assertThatThrownBy(() -> FormParser.requireFormContentType(bad)).as(bad).isInstanceOf(OAuthException.class);
        }
    }
}
