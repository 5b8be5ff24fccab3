package io.tollgate.tokenapi.core;

import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

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
