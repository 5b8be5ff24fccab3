package io.tollgate.tokenapi.core;

import com.codahale.metrics.MetricRegistry;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceTest {
    private static final TokenGrant REFUSE = (client, request) -> {
        throw new AssertionError("no grant is issued by this test");
    };

    @Test
    void everySupportedGrantTypeNeedsItsGrantAndNoOtherIsTaken() {
        assertThatThrownBy(() -> new TokenService(null, Map.of(PasswordGrant.GRANT_TYPE, REFUSE,
                RefreshTokenGrant.GRANT_TYPE, REFUSE, AuthorizationCodeGrant.GRANT_TYPE, REFUSE), new MetricRegistry()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client_credentials");
        assertThatThrownBy(() -> new TokenService(null, Map.of(PasswordGrant.GRANT_TYPE, REFUSE,
                RefreshTokenGrant.GRANT_TYPE, REFUSE, AuthorizationCodeGrant.GRANT_TYPE, REFUSE,
                ClientCredentialsGrant.GRANT_TYPE, REFUSE, "implicit", REFUSE), new MetricRegistry()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("implicit");
    }

    @Test
    void aMissingOrUnknownGrantTypeIsRefusedBeforeTheClientIsAuthenticated() {
        // no authenticator: a request that reached client authentication would fail with a NullPointerException
        TokenService tokens = new TokenService(null, Map.of(PasswordGrant.GRANT_TYPE, REFUSE,
                RefreshTokenGrant.GRANT_TYPE, REFUSE, AuthorizationCodeGrant.GRANT_TYPE, REFUSE,
                ClientCredentialsGrant.GRANT_TYPE, REFUSE), new MetricRegistry());
        assertThatThrownBy(() -> tokens.grant(request(Map.of("client_id", "demo-app")), null))
                .isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST);
                    assertThat(e.description()).isEqualTo("grant_type is required");
                });
        assertThatThrownBy(() -> tokens.grant(request(Map.of("grant_type", "implicit", "client_id", "demo-app")),
                null)).isInstanceOfSatisfying(OAuthException.class, e -> {
                    assertThat(e.error()).isEqualTo(OAuthError.UNSUPPORTED_GRANT_TYPE);
                    assertThat(e.description())
                            .isEqualTo("supported: password, refresh_token, authorization_code, client_credentials");
                });
    }

    private static TokenRequest request(Map<String, String> form) {
        return new TokenRequest(form, List.of(), "192.0.2.1", List.of());
    }
}
