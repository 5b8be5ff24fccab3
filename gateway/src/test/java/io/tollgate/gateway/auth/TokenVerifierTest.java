package io.tollgate.gateway.auth;

import io.tollgate.shared.crypto.Hashes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class TokenVerifierTest {
    @Test
    void theCacheKeyIsTheApiAndTheTokensSha256NeverTheToken() {
        String token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";
        TokenVerifier.Key key = TokenVerifier.key("mobile", token);
        ByteBuffer digest = ByteBuffer.wrap(Base64.getUrlDecoder().decode(Hashes.sha256(token)));
        assertThat(key).isEqualTo(new TokenVerifier.Key("mobile", digest.getLong(), digest.getLong(), digest.getLong(),
                digest.getLong()));
        assertThat(key.toString()).doesNotContain(token).doesNotContain("c2ln");
        assertThat(TokenVerifier.key("mobile", token)).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(TokenVerifier.key("admin", token)).isNotEqualTo(key);
        assertThat(TokenVerifier.key("mobile", token + "x")).isNotEqualTo(key);
    }

    @Test
    void aTokenLongerThanTheDigestBufferIsHashedWhole() {
        String head = "eyJh." + "a".repeat(3000) + ".";
        TokenVerifier.Key one = TokenVerifier.key("mobile", head + "c2ln");
        TokenVerifier.Key other = TokenVerifier.key("mobile", head + "c2lm");
        assertThat(one).isNotEqualTo(other);
        ByteBuffer digest = ByteBuffer.wrap(Base64.getUrlDecoder().decode(Hashes.sha256(head + "c2ln")));
        assertThat(one.d0()).isEqualTo(digest.getLong());
        // and a short one after it still hashes only its own bytes
        String token = "eyJh.eyJz.c2ln";
        ByteBuffer small = ByteBuffer.wrap(Base64.getUrlDecoder().decode(Hashes.sha256(token)));
        assertThat(TokenVerifier.key("mobile", token).d0()).isEqualTo(small.getLong());
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
