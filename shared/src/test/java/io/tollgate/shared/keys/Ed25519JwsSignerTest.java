package io.tollgate.shared.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ed25519JwsSignerTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 §7.1, TEST 1: the secret key, its public key and the signature of the empty message. */
    @Test
    void signsRfc8032TestVector() throws Exception {
        OctetKeyPair key = new OctetKeyPair.Builder(Curve.Ed25519,
                Base64URL.encode(HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")))
                .d(Base64URL.encode(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")))
                .build();
        Base64URL signature = new Ed25519JwsSigner(key).sign(new JWSHeader(JWSAlgorithm.EdDSA), new byte[0]);
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
                + "d25bf5f0595bbe24655141438e7a100b", HEX.formatHex(signature.decode()));
    }

    @Test
    void writesTheBytesOfNimbusOwnSignerAndNimbusVerifiesThem() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("k1").generate();
        for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519}) {
            JWSObject ours = new JWSObject(new JWSHeader.Builder(alg).keyID("k1").build(),
                    new Payload("{\"sub\":\"alice\",\"scope\":\"orders:read\"}"));
            JWSObject tinks = new JWSObject(ours.getHeader(), ours.getPayload());
            ours.sign(new Ed25519JwsSigner(key));
            tinks.sign(new Ed25519Signer(key));
            assertEquals(tinks.serialize(), ours.serialize());
            assertTrue(JWSObject.parse(ours.serialize()).verify(new Ed25519Verifier(key.toPublicJWK())));
        }
    }

    @Test
    void refusesAKeyWhoseXIsNotThePublicKeyOfItsD() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        OctetKeyPair other = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        OctetKeyPair mixed = new OctetKeyPair.Builder(Curve.Ed25519, other.getX()).d(key.getD()).build();
        JOSEException e = assertThrows(JOSEException.class, () -> new Ed25519JwsSigner(mixed));
        assertTrue(e.getMessage().contains("not the public key of its d"), e.getMessage());
    }

    @Test
    void refusesAPublicKeyAnotherCurveAndAnotherAlgorithm() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        assertThrows(JOSEException.class, () -> new Ed25519JwsSigner(key.toPublicJWK()));
        OctetKeyPair x25519 = new OctetKeyPairGenerator(Curve.X25519).generate();
        assertThrows(JOSEException.class, () -> new Ed25519JwsSigner(x25519));
        byte[] input = "e30.e30".getBytes(StandardCharsets.US_ASCII);
        JOSEException e = assertThrows(JOSEException.class,
                () -> new Ed25519JwsSigner(key).sign(new JWSHeader(JWSAlgorithm.ES256), input));
        assertTrue(e.getMessage().contains("ES256"), e.getMessage());
    }
}
