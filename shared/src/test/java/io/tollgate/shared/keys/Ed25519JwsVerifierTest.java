package io.tollgate.shared.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Ed25519JwsVerifier} against references it did not write: RFC 8037's EdDSA example, and Nimbus's own
 * {@code Ed25519Verifier} (Tink) on signatures {@link Ed25519JwsSigner} made and on their mutations. Project
 * Wycheproof's Ed25519 file runs through it in the gateway's and token-api's {@code WycheproofSignatureTest}.
 */
class Ed25519JwsVerifierTest {
    /** Ed25519's group order L, little-endian in a signature's S. */
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    /** RFC 8037 Appendix A.4: the public key and the compact JWS it signs. */
    @Test
    void verifiesRfc8037AppendixA4AndNotItsAlteredPayload() throws Exception {
        OctetKeyPair key = new OctetKeyPair.Builder(Curve.Ed25519,
                new Base64URL("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")).build();
        String jws = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
                + ".hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
        assertTrue(JWSObject.parse(jws).verify(new Ed25519JwsVerifier(key)));
        String altered = jws.replace(".RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc", ".RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmd");
        assertFalse(JWSObject.parse(altered).verify(new Ed25519JwsVerifier(key)));
    }

    /**
     * For 3 keys and 100 messages each, {@link Ed25519JwsSigner} signs; each signature and 6 mutations of it (a
     * flipped bit of the signature or of the input, S + L, another key's signature, one byte short or long) get
     * the same verdict from both verifiers.
     */
    @Test
    void givesTinksVerdictsOnSignaturesAndTheirMutations() throws Exception {
        Random random = new Random(8037);
        JWSHeader header = new JWSHeader(JWSAlgorithm.EdDSA);
        OctetKeyPair other = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        int accepted = 0;
        int refused = 0;
        for (int k = 0; k < 3; k++) {
            OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
            Ed25519JwsSigner signer = new Ed25519JwsSigner(key);
            Ed25519Verifier reference = new Ed25519Verifier(key.toPublicJWK());
            Ed25519JwsVerifier ours = new Ed25519JwsVerifier(key.toPublicJWK());
            for (int m = 0; m < 100; m++) {
                byte[] input = new byte[1 + random.nextInt(300)];
                random.nextBytes(input);
                byte[] sig = signer.sign(header, input).decode();
                byte[] flippedSig = sig.clone();
                flippedSig[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
                byte[] flippedInput = input.clone();
                flippedInput[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
                List<Object[]> cases = List.of(new Object[] {"as signed", sig, input},
                        new Object[] {"a flipped bit of the signature", flippedSig, input},
                        new Object[] {"a flipped bit of the input", sig, flippedInput},
                        new Object[] {"S + L", plusL(sig), input},
                        new Object[] {"another key's signature", new Ed25519JwsSigner(other).sign(header, input).decode(), input},
                        new Object[] {"one byte short", Arrays.copyOf(sig, 63), input},
                        new Object[] {"one byte long", Arrays.copyOf(sig, 65), input});
                for (Object[] c : cases) {
                    Base64URL s = Base64URL.encode((byte[]) c[1]);
                    boolean expected = reference.verify(header, (byte[]) c[2], s);
                    assertEquals(expected, ours.verify(header, (byte[]) c[2], s), (String) c[0]);
                    if (expected) {
                        accepted++;
                    } else {
                        refused++;
                    }
                }
            }
        }
        assertEquals(3 * 100, accepted);
        assertEquals(3 * 100 * 6, refused);
    }

    /** The same R with S + L: the same point equation, a non-canonical S (RFC 8032 §5.1.7 refuses it). */
    private static byte[] plusL(byte[] sig) {
        byte[] le = Arrays.copyOfRange(sig, 32, 64);
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        byte[] sum = new BigInteger(1, be).add(L).toByteArray();
        byte[] out = sig.clone();
        for (int i = 0; i < 32; i++) {
            out[32 + i] = i < sum.length ? sum[sum.length - 1 - i] : 0;
        }
        return out;
    }

    @Test
    void refusesAnotherAlgorithmACritHeaderAnotherCurveAndAnXThatIsNoPoint() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        byte[] input = "e30.e30".getBytes(StandardCharsets.US_ASCII);
        Base64URL sig = new Ed25519JwsSigner(key).sign(new JWSHeader(JWSAlgorithm.EdDSA), input);
        Ed25519JwsVerifier verifier = new Ed25519JwsVerifier(key.toPublicJWK());
        assertTrue(verifier.verify(new JWSHeader(JWSAlgorithm.EdDSA), input, sig));
        assertTrue(verifier.verify(new JWSHeader(JWSAlgorithm.Ed25519), input, sig));
        JOSEException e = assertThrows(JOSEException.class,
                () -> verifier.verify(new JWSHeader(JWSAlgorithm.ES256), input, sig));
        assertTrue(e.getMessage().contains("ES256"), e.getMessage());
        JWSHeader crit = new JWSHeader.Builder(JWSAlgorithm.EdDSA).criticalParams(Set.of("exp"))
                .customParam("exp", 1).build();
        assertFalse(verifier.verify(crit, input, sig));
        OctetKeyPair x25519 = new OctetKeyPairGenerator(Curve.X25519).generate();
        assertThrows(JOSEException.class, () -> new Ed25519JwsVerifier(x25519));
        byte[] notAPoint = new byte[32];
        Arrays.fill(notAPoint, (byte) 0xff); // y = 2^255 - 19 + 18: above the field's prime
        e = assertThrows(JOSEException.class, () -> new Ed25519JwsVerifier(
                new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(notAPoint)).build()));
        assertTrue(e.getMessage().contains("not an Ed25519 point"), e.getMessage());
        assertThrows(JOSEException.class, () -> new Ed25519JwsVerifier(
                new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(new byte[31])).build()));
    }
}
