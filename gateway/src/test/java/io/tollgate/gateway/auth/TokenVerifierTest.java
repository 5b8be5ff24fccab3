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

    @Test
    void onlyUnpaddedThreeSegmentBase64urlIsACompactJws() {
        assertThat(TokenVerifier.isCompactJws("eyJh.eyJz.c2ln")).isTrue();
        for (String bad : new String[] {"eyJh.eyJz.c2ln==", "eyJh.eyJz=.c2ln", "eyJh.eyJz.", "eyJh..c2ln", ".eyJz.c2ln",
                "eyJh.eyJz", "eyJh.eyJz.c2ln.x", "eyJh.ey+z.c2l/", "", "a.b.c.d.e"}) {
            assertThat(TokenVerifier.isCompactJws(bad)).as(bad).isFalse();
        }
    }
}
