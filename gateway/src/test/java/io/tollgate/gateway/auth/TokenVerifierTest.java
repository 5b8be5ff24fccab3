package io.tollgate.gateway.auth;

import io.tollgate.shared.crypto.Hashes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenVerifierTest {
    @Test
    void theCacheKeyDigestIsTheSharedSha256() {
        String token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";
        assertThat(TokenVerifier.sha256(token)).isEqualTo(Hashes.sha256(token)).hasSize(43);
    }
}
