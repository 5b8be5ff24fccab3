package io.tollgate.tokenapi.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.tokenapi.core.AccessTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SigningKeysTest {

    @Test
    void aMissingFileIsCreatedWithOnePrivateKeyReadableByTheOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/jwks.json");
        SigningKeys keys = SigningKeys.loadOrCreate(file, SigningAlgorithm.ES256);
        assertThat(Files.exists(file)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(keys.algorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(keys.currentKeyId()).startsWith("es256-");
        assertThat(keys.publicJwkSet().getKeys()).singleElement().satisfies(k -> assertThat(k.isPrivate()).isFalse());
        // loading again gives the same key
        assertThat(SigningKeys.loadOrCreate(file, SigningAlgorithm.ES256).currentKeyId()).isEqualTo(keys.currentKeyId());
    }

    @Test
    void theNewestKeySignsAndEveryKeyIsPublishedAndVerifies(@TempDir Path dir) throws Exception {
        JWK old = SigningKeys.generate(SigningAlgorithm.RS256, Instant.parse("2026-01-01T00:00:00Z"));
        JWK newer = SigningKeys.generate(SigningAlgorithm.ES256, Instant.parse("2026-06-01T00:00:00Z"));
        Path file = dir.resolve("jwks.json");
        SigningKeys.write(file, new JWKSet(List.of(newer, old)));
        SigningKeys keys = SigningKeys.loadOrCreate(file, SigningAlgorithm.ES256);
        assertThat(keys.currentKeyId()).isEqualTo(newer.getKeyID());
        assertThat(keys.publicJwkSet().getKeys()).extracting(JWK::getKeyID)
                .containsExactlyInAnyOrder(old.getKeyID(), newer.getKeyID());

        AccessTokens tokens = new AccessTokens(keys, "https://issuer.test", Duration.ofMinutes(5));
        Instant now = Instant.now();
        var issued = tokens.issue("alice", "app", Set.of("mobile"), "read", "sid-1", now);
        SignedJWT jwt = SignedJWT.parse(issued.token());
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(newer.getKeyID());
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(tokens.verify(issued.token(), now)).isPresent();
        assertThat(tokens.verify(issued.token(), now.plus(Duration.ofMinutes(6)))).isEmpty();

        // a token signed by the older key still verifies while that key is published
        SigningKeys oldOnly = new SigningKeys(new JWKSet(old));
        var byOld = new AccessTokens(oldOnly, "https://issuer.test", Duration.ofMinutes(5))
                .issue("alice", "app", Set.of("mobile"), "read", "sid-1", now);
        assertThat(tokens.verify(byOld.token(), now)).isPresent();
        // another issuer's token, or a tampered one, does not
        var foreign = new AccessTokens(keys, "https://other.test", Duration.ofMinutes(5))
                .issue("alice", "app", Set.of("mobile"), "read", "sid-1", now);
        assertThat(tokens.verify(foreign.token(), now)).isEmpty();
        String tampered = issued.token().substring(0, issued.token().length() - 4) + "AAAA";
        assertThat(tokens.verify(tampered, now)).isEmpty();
    }
}
