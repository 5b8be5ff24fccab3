package io.tollgate.shared.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Es256JwsVerifier} against references it did not write: RFC 7515's ES256 example, and Nimbus's own
 * {@code ECDSAVerifier} (the JDK's ECDSA) on signatures Nimbus made and on their mutations. Project Wycheproof's
 * ES256 file runs through it in the gateway's and token-api's {@code WycheproofSignatureTest}.
 */
class Es256JwsVerifierTest {
    /** P-256's group order n. */
    private static final BigInteger N = Curve.P_256.toECParameterSpec().getOrder();

    /** RFC 7515 Appendix A.3: the public key and the compact JWS it signs. */
    @Test
    void verifiesRfc7515AppendixA3AndNotItsAlteredPayload() throws Exception {
        ECKey key = new ECKey.Builder(Curve.P_256, new Base64URL("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"),
                new Base64URL("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")).build();
        String jws = "eyJhbGciOiJFUzI1NiJ9"
                + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
                + ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
        assertTrue(JWSObject.parse(jws).verify(new Es256JwsVerifier(key)));
        String altered = jws.replace(".eyJpc3MiOiJqb2UiLA0K", ".eyJpc3MiOiJqb2QiLA0K");
        assertFalse(JWSObject.parse(altered).verify(new Es256JwsVerifier(key)));
    }

    /**
     * For 3 keys and 100 messages each, Nimbus signs; each signature and 12 mutations of it (a flipped bit of the
     * signature or of the input, S and n - S, R and S swapped, another key's signature, R or S zero or n, one byte
     * short or long, DER instead of R || S) get the same verdict from both verifiers.
     */
    @Test
    void givesNimbusVerdictsOnItsSignaturesAndTheirMutations() throws Exception {
        Random random = new Random(7515);
        JWSHeader header = new JWSHeader(JWSAlgorithm.ES256);
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        int accepted = 0;
        int refused = 0;
        for (int k = 0; k < 3; k++) {
            ECKey key = new ECKeyGenerator(Curve.P_256).generate();
            ECDSASigner signer = new ECDSASigner(key);
            ECDSAVerifier reference = new ECDSAVerifier(key.toPublicJWK());
            Es256JwsVerifier ours = new Es256JwsVerifier(key.toPublicJWK());
            for (int m = 0; m < 100; m++) {
                byte[] input = new byte[1 + random.nextInt(300)];
                random.nextBytes(input);
                byte[] sig = signer.sign(header, input).decode();
                for (Case c : mutations(sig, input, new ECDSASigner(other).sign(header, input).decode(), random)) {
                    boolean expected = reference.verify(header, c.input, Base64URL.encode(c.sig));
                    assertEquals(expected, ours.verify(header, c.input, Base64URL.encode(c.sig)), c.name);
                    if (expected) {
                        accepted++;
                    } else {
                        refused++;
                    }
                }
            }
        }
        assertEquals(3 * 100 * 2, accepted); // the signature itself and its n - S twin
        assertEquals(3 * 100 * 11, refused);
    }

    private record Case(String name, byte[] sig, byte[] input) {
    }

    private static List<Case> mutations(byte[] sig, byte[] input, byte[] otherKeys, Random random) throws Exception {
        BigInteger r = new BigInteger(1, sig, 0, 32);
        BigInteger s = new BigInteger(1, sig, 32, 32);
        byte[] flippedSig = sig.clone();
        flippedSig[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        byte[] flippedInput = input.clone();
        flippedInput[random.nextInt(input.length)] ^= (byte) (1 << random.nextInt(8));
        return List.of(new Case("as signed", sig, input),
                new Case("S and n - S", rs(r, N.subtract(s)), input),
                new Case("a flipped bit of the signature", flippedSig, input),
                new Case("a flipped bit of the input", sig, flippedInput),
                new Case("R and S swapped", rs(s, r), input),
                new Case("another key's signature", otherKeys, input),
                new Case("R zero", rs(BigInteger.ZERO, s), input),
                new Case("S zero", rs(r, BigInteger.ZERO), input),
                new Case("R = n", rs(N, s), input),
                new Case("S = n + S", rs(r, N.add(s).mod(BigInteger.TWO.pow(256))), input),
                new Case("one byte short", Arrays.copyOf(sig, 63), input),
                new Case("one byte long", Arrays.copyOf(sig, 65), input),
                new Case("DER", ECDSA.transcodeSignatureToDER(sig), input));
    }

    private static byte[] rs(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        int rl = Math.min(rb.length, 32);
        int sl = Math.min(sb.length, 32);
        System.arraycopy(rb, rb.length - rl, out, 32 - rl, rl);
        System.arraycopy(sb, sb.length - sl, out, 64 - sl, sl);
        return out;
    }

    @Test
    void refusesAnotherAlgorithmACritHeaderAndAnotherCurve() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        byte[] input = "e30.e30".getBytes(StandardCharsets.US_ASCII);
        Base64URL sig = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256), input);
        Es256JwsVerifier verifier = new Es256JwsVerifier(key.toPublicJWK());
        JOSEException e = assertThrows(JOSEException.class,
                () -> verifier.verify(new JWSHeader(JWSAlgorithm.ES384), input, sig));
        assertTrue(e.getMessage().contains("ES384"), e.getMessage());
        JWSHeader crit = new JWSHeader.Builder(JWSAlgorithm.ES256).criticalParams(java.util.Set.of("exp"))
                .customParam("exp", 1).build();
        assertFalse(verifier.verify(crit, input, sig));
        assertTrue(verifier.verify(new JWSHeader(JWSAlgorithm.ES256), input, sig));
        ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
        e = assertThrows(JOSEException.class, () -> new Es256JwsVerifier(p384));
        assertTrue(e.getMessage().contains("P-384"), e.getMessage());
    }
}
