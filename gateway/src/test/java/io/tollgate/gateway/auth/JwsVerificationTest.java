package io.tollgate.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwsVerificationTest {
    private static final ImmutableJWKSet<SecurityContext> NO_KEYS = new ImmutableJWKSet<>(new JWKSet());

    @Test
    void anAllowListTheGatewayCannotHonourStopsItAtStartUp() {
        for (String alg : List.of("HS256", "HS512", "none", "Ed25519", "Ed448", "A256GCM",
                "nonsense")) {
            assertThatThrownBy(() -> new JwsVerification(NO_KEYS, List.of("ES256", alg))).as(alg)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokens.algorithms: " + alg);
        }
        assertThatThrownBy(() -> new JwsVerification(NO_KEYS, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void asymmetricAlgorithmsAreAllowed() {
        assertThat(new JwsVerification(NO_KEYS, List.of("EdDSA", "ES256", "RS256", "PS256")).allowed())
                .containsExactlyInAnyOrder(JWSAlgorithm.EdDSA, JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.PS256);
    }
}
