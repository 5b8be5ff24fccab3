package io.tollgate.shared.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningAlgorithmTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void aKeySignsAndItsPublicPartVerifiesWithTheAlgorithmItNames(SigningAlgorithm algorithm) throws Exception {
        JWK key = algorithm.generate(NOW);
        assertEquals(algorithm, SigningAlgorithm.of(key));
        assertEquals(algorithm, SigningAlgorithm.of(key.toPublicJWK()));
        JWSObject jws = new JWSObject(new JWSHeader(algorithm.jws()), new Payload("{\"sub\":\"alice\"}"));
        jws.sign(algorithm.signer(key));
        assertTrue(JWSObject.parse(jws.serialize()).verify(algorithm.verifier(key.toPublicJWK())));
        JWSObject tampered = JWSObject.parse(jws.serialize().replace(jws.getPayload().toBase64URL().toString(),
                new Payload("{\"sub\":\"mallory\"}").toBase64URL().toString()));
        assertFalse(tampered.verify(algorithm.verifier(key)));
    }

    @Test
    void aKeyWithoutAlgTakesTheNaturalAlgorithmOfItsType() throws Exception {
        assertEquals(SigningAlgorithm.ES256, SigningAlgorithm.of(new ECKeyGenerator(Curve.P_256).generate()));
        assertEquals(SigningAlgorithm.EdDSA, SigningAlgorithm.of(new OctetKeyPairGenerator(Curve.Ed25519).generate()));
    }

    @Test
    void aKeyOfAnotherTypeThanItsAlgorithmIsRefused() throws Exception {
        JWK rsaSayingEs256 = new com.nimbusds.jose.jwk.RSAKey.Builder(
                SigningAlgorithm.RS256.generate(NOW).toRSAKey()).algorithm(JWSAlgorithm.ES256).build();
        assertThrows(IllegalArgumentException.class, () -> SigningAlgorithm.of(rsaSayingEs256));
        ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
        assertThrows(IllegalArgumentException.class, () -> SigningAlgorithm.of(p384));
        OctetKeyPair x25519 = new OctetKeyPairGenerator(Curve.X25519).keyID("x").generate();
        assertThrows(IllegalArgumentException.class, () -> SigningAlgorithm.of(x25519));
        assertThrows(IllegalArgumentException.class, () -> SigningAlgorithm.EdDSA.verifier(x25519));
        assertThrows(IllegalArgumentException.class,
                () -> SigningAlgorithm.ES256.verifier(SigningAlgorithm.EdDSA.generate(NOW)));
    }

    @Test
    void anAlgorithmTollgateDoesNotSignWithIsRefused() throws Exception {
        ECKey hs = new ECKeyGenerator(Curve.P_256).keyID("hs").algorithm(JWSAlgorithm.HS256).generate();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigningAlgorithm.of(hs));
        assertTrue(e.getMessage().contains("HS256"), e.getMessage());
        ECKey es384 = new ECKeyGenerator(Curve.P_256).keyID("es").algorithm(JWSAlgorithm.ES384).generate();
        assertThrows(IllegalArgumentException.class, () -> SigningAlgorithm.of(es384));
    }
}
