package io.tollgate.tokenapi.core;

import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientCredentialsTest {

    private static String basic(String raw) {
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicOffersBothThePlainAndTheFormDecodedReading() {
        var c = ClientCredentials.from(basic("my%20app:s%2Bcret"), Map.of());
        assertThat(c.basic()).isTrue();
        assertThat(c.idCandidates()).containsExactly("my%20app", "my app");
        assertThat(c.secretCandidates()).containsExactly("s%2Bcret", "s+cret");
        var plain = ClientCredentials.from(basic("app:p@ss:word"), Map.of());
        assertThat(plain.idCandidates()).containsExactly("app");
        assertThat(plain.secretCandidates()).containsExactly("p@ss:word");
    }

    /** Every RFC 3986 unreserved character that is not alphanumeric, and every reserved one. */
    static final String SPECIALS = "-._~:/?#[]@!$&'()*+,;=";

    /** RFC 6749 §2.3.1 as oauth4webapi applies it: form-urlencoding, {@code -._~*} encoded too. */
    static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace(".", "%2E").replace("-", "%2D")
                .replace("_", "%5F").replace("*", "%2A").replace("~", "%7E");
    }

    @Test
    void eachUnreservedAndReservedCharacterIsReadInBothSpellings() {
        for (char c : SPECIALS.toCharArray()) {
            String id = "app" + c + "1";
            String secret = "s" + c + "x" + c;
            String plainId = id.replace(":", ""); // RFC 7617: a plain user-id cannot hold a colon
            Map<String, String> headers = Map.of(basic(plainId + ":" + secret), plainId,
                    basic(formEncode(id) + ":" + formEncode(secret)), id);
            headers.forEach((header, expectedId) -> {
                ClientCredentials read = ClientCredentials.basic(header).orElseThrow();
                assertThat(read.secretCandidates()).as("%s in %s", c, header).contains(secret);
                assertThat(read.idCandidates()).as("%s in %s", c, header).contains(expectedId);
                assertThat(ClientCredentials.from(header, Map.of()).secretCandidates()).contains(secret);
            });
        }
        // the colon of a plain secret is the secret's (RFC 7617 splits at the first one), and "%" that is no escape
        // leaves the plain reading as the only one
        assertThat(ClientCredentials.basic(basic("ops:a:b%zz")).orElseThrow().secretCandidates())
                .containsExactly("a:b%zz");
    }

    @Test
    void basicAloneIsAbsentRatherThanAnErrorWhenThereIsNone() {
        for (String header : new String[] {null, "", "Bearer x", "Basic", "Basic !!!", basic("no-colon"),
                basic(":secret")}) {
            assertThat(ClientCredentials.basic(header)).as(String.valueOf(header)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void clientSecretPostAndPublicClients() {
        var post = ClientCredentials.from(null, Map.of("client_id", "app", "client_secret", "s"));
        assertThat(post.basic()).isFalse();
        assertThat(post.secretCandidates()).containsExactly("s");
        var pub = ClientCredentials.from(null, Map.of("client_id", "app"));
        assertThat(pub.hasSecret()).isFalse();
        assertThat(pub.toString()).doesNotContain("s]").contains("[REDACTED]");
    }

    @Test
    void refusesMixedOrMalformedAuthentication() {
        assertThatThrownBy(() -> ClientCredentials.from(basic("app:s"), Map.of("client_secret", "s")))
                .isInstanceOf(OAuthException.class).hasMessageContaining("one client authentication");
        assertThatThrownBy(() -> ClientCredentials.from(basic("app:s"), Map.of("client_id", "other")))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> ClientCredentials.from(null, Map.of())).hasMessageContaining("client_id");
        for (String header : new String[] {"Basic !!!", "Bearer x", basic("no-colon"), basic(":secret")}) {
            assertThatThrownBy(() -> ClientCredentials.from(header, Map.of())).as(header)
                    .isInstanceOfSatisfying(OAuthException.class, e -> {
                        assertThat(e.error()).isEqualTo(OAuthError.INVALID_CLIENT);
                        assertThat(e.basicChallenge()).isTrue();
                    });
        }
    }
}
