package io.tollgate.tokenapi.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.keys.SigningAlgorithm;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aTokenIsCheckedOnlyWithTheAlgorithmOfItsKey() throws Exception {
        JWK rsa = SigningKeys.generate(SigningAlgorithm.RS256, Instant.now());
        SigningKeys keys = new SigningKeys(new JWKSet(rsa));
        AccessTokens tokens = new AccessTokens(keys, "https://issuer.test", Duration.ofMinutes(5));
        Instant now = Instant.now();
        SignedJWT issued = SignedJWT.parse(tokens.issue("alice", "app", Set.of("mobile"), "read", "sid-1", now).token());
        assertThat(keys.verifies(issued)).isTrue();
        // the same claims, the same RSA key, signed as PS256 (or RS512): Nimbus's RSA verifier would take it
        for (JWSAlgorithm other : List.of(JWSAlgorithm.PS256, JWSAlgorithm.RS512)) {
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(other).type(AccessTokens.AT_JWT)
                    .keyID(rsa.getKeyID()).build(), issued.getJWTClaimsSet());
            forged.sign(new RSASSASigner(rsa.toRSAKey()));
            assertThat(keys.verifies(forged)).as(other.getName()).isFalse();
            assertThat(tokens.verify(forged.serialize(), now)).as(other.getName()).isEmpty();
        }
    }

    @Test
    void anEdDsaKeySignsWithEd25519AndOnlyItsPublicHalfIsPublished() throws Exception {
        JWK rsa = SigningKeys.generate(SigningAlgorithm.RS256, Instant.parse("2026-01-01T00:00:00Z"));
        JWK ed = SigningKeys.generate(SigningAlgorithm.EdDSA, Instant.parse("2026-06-01T00:00:00Z"));
        SigningKeys keys = new SigningKeys(new JWKSet(List.of(rsa, ed)));
        assertThat(keys.algorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(keys.currentKeyId()).startsWith("eddsa-");
        assertThat(keys.publishedAlgorithms()).containsExactly("EdDSA", "RS256");
        assertThat(keys.publicJwkSet().getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        assertThat(keys.publicJwkSet().getKeyByKeyId(ed.getKeyID())).isInstanceOfSatisfying(OctetKeyPair.class, okp -> {
            assertThat(okp.getCurve()).isEqualTo(Curve.Ed25519);
            assertThat(okp.getD()).isNull();
        });
        assertThat(keys.publicJwkSetJson()).contains("\"crv\":\"Ed25519\"").doesNotContain("\"d\"");

        AccessTokens tokens = new AccessTokens(keys, "https://issuer.test", Duration.ofMinutes(5));
        Instant now = Instant.now();
        SignedJWT issued = SignedJWT.parse(tokens.issue("alice", "app", Set.of("mobile"), "read", "sid-1", now).token());
        assertThat(issued.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(issued.getHeader().getKeyID()).isEqualTo(ed.getKeyID());
        assertThat(tokens.verify(issued.serialize(), now)).isPresent();
        // a token of the RSA key, published beside it during a rotation, verifies too: each with its own key
        var byRsa = new AccessTokens(new SigningKeys(new JWKSet(rsa)), "https://issuer.test", Duration.ofMinutes(5))
                .issue("alice", "app", Set.of("mobile"), "read", "sid-1", now);
        assertThat(SignedJWT.parse(byRsa.token()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(tokens.verify(byRsa.token(), now)).isPresent();
    }

    @Test
    void anEd25519KeyVerifiesNoOtherAlgorithmAndNoOtherKeyVerifiesEdDsa() throws Exception {
        JWK ed = SigningKeys.generate(SigningAlgorithm.EdDSA, Instant.now());
        JWK rsa = SigningKeys.generate(SigningAlgorithm.RS256, Instant.now().minusSeconds(1));
        SigningKeys keys = new SigningKeys(new JWKSet(List.of(ed, rsa)));
        AccessTokens tokens = new AccessTokens(keys, "https://issuer.test", Duration.ofMinutes(5));
        Instant now = Instant.now();
        SignedJWT issued = SignedJWT.parse(tokens.issue("alice", "app", Set.of("mobile"), "read", "sid-1", now).token());
        // the Ed25519 signature under another alg, and an RSA signature under the EdDSA key's kid
        SignedJWT relabelled = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(AccessTokens.AT_JWT)
                .keyID(ed.getKeyID()).build().toBase64URL(), issued.getPayload().toBase64URL(), issued.getSignature());
        SignedJWT rsaUnderEdKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(AccessTokens.AT_JWT)
                .keyID(ed.getKeyID()).build(), issued.getJWTClaimsSet());
        rsaUnderEdKid.sign(new RSASSASigner(rsa.toRSAKey()));
        SignedJWT edUnderRsaKid = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(AccessTokens.AT_JWT)
                .keyID(rsa.getKeyID()).build(), issued.getJWTClaimsSet());
        edUnderRsaKid.sign(new com.nimbusds.jose.crypto.Ed25519Signer(ed.toOctetKeyPair()));
        for (SignedJWT forged : List.of(relabelled, rsaUnderEdKid, edUnderRsaKid)) {
            assertThat(keys.verifies(forged)).as(forged.getHeader().toString()).isFalse();
            assertThat(tokens.verify(forged.serialize(), now)).as(forged.getHeader().toString()).isEmpty();
        }
        assertThat(keys.verifies(issued)).isTrue();
    }

    @Test
    void aKeyFileWithAKeyTokenApiWouldNotSignWithIsRefused() throws Exception {
        JWK ps = new RSAKeyGenerator(2048).keyID("ps").algorithm(JWSAlgorithm.PS512).generate();
        JWK enc = new RSAKeyGenerator(2048).keyID("enc").algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.ENCRYPTION).generate();
        JWK p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").algorithm(JWSAlgorithm.ES256).generate();
        JWK x25519 = new OctetKeyPairGenerator(Curve.X25519).keyID("x25519").generate();
        JWK x25519AsEdDsa = new OctetKeyPairGenerator(Curve.X25519).keyID("x25519-eddsa").algorithm(JWSAlgorithm.EdDSA)
                .generate();
        JWK okpAsRs256 = new OctetKeyPairGenerator(Curve.Ed25519).keyID("okp-rs256").algorithm(JWSAlgorithm.RS256)
                .generate();
        JWK rsaAsEdDsa = new RSAKeyGenerator(2048).keyID("rsa-eddsa").algorithm(JWSAlgorithm.EdDSA).generate();
        JWK good = SigningKeys.generate(SigningAlgorithm.ES256, Instant.now());
        for (JWK bad : List.of(ps, enc, p384, x25519, x25519AsEdDsa, okpAsRs256, rsaAsEdDsa)) {
            assertThatThrownBy(() -> new SigningKeys(new JWKSet(List.of(good, bad)))).as(bad.getKeyID())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.getKeyID());
        }
    }
}
