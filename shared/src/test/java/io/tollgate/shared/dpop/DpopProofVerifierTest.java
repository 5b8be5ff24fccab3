package io.tollgate.shared.dpop;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.tollgate.shared.crypto.Hashes;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DpopProofVerifierTest {
    private static final String URI = "https://api.example.com/mobile/profile";
    private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    private final DpopProofVerifier verifier = new DpopProofVerifier();
    private final Set<DpopFailure> tested = EnumSet.noneOf(DpopFailure.class);

    private DpopProofVerifier.Result verify(String proof) {
        return verifier.verify(List.of(proof), "GET", URI, null, null);
    }

    private void refused(DpopFailure expected, DpopProofVerifier.Result result) {
        assertNull(result.proof(), "accepted a proof that should fail with " + expected);
        assertEquals(expected, result.failure());
    }

    @Test
    void acceptsEs256AndReturnsTheRfc7638Thumbprint() {
        Proofs p = Proofs.es256();
        DpopProofVerifier.Result result = verify(p.sign());
        assertTrue(result.ok(), () -> "refused: " + result.failure());
        assertEquals(p.jkt(), result.proof().jkt());
        assertEquals(p.claims.get("jti"), result.proof().jti());
    }

    @Test
    void acceptsEd25519() {
        Proofs p = Proofs.ed25519();
        DpopProofVerifier.Result result = verify(p.sign());
        assertTrue(result.ok(), () -> "refused: " + result.failure());
        assertEquals(p.jkt(), result.proof().jkt());
    }

    @Test
    void rfc7638ExampleThumbprint() throws Exception {
        // RFC 7638 §3.1 computes this thumbprint for its RSA example; the verifier uses the same computation
        var key = com.nimbusds.jose.jwk.JWK.parse("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\"}");
        assertEquals("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", ProofKeys.thumbprint(key));
    }

    @Test
    void checksAthAgainstThePresentedToken() {
        Proofs p = Proofs.es256().claim("ath", Hashes.sha256(TOKEN));
        assertTrue(verifier.verify(List.of(p.sign()), "GET", URI, TOKEN, p.jkt()).ok());
    }

    @Test
    void normalisesHtuAndIgnoresQueryAndFragment() {
        Proofs p = Proofs.es256().claim("htu", "HTTPS://API.Example.COM:443/mobile/profile#frag");
        assertTrue(verifier.verify(List.of(p.sign()), "GET", URI + "?page=2", null, null).ok());
        Proofs plain = Proofs.es256().claim("htu", "http://gw.local:80/a%2fb");
        assertTrue(verifier.verify(List.of(plain.sign()), "GET", "http://GW.local/a%2Fb", null, null).ok());
    }

    @Test
    void missing() {
        refused(DpopFailure.MISSING, verifier.verify(List.of(), "GET", URI, null, null));
        refused(DpopFailure.MISSING, verifier.verify(null, "GET", URI, null, null));
    }

    @Test
    void multiple() {
        String proof = Proofs.es256().sign();
        refused(DpopFailure.MULTIPLE, verifier.verify(List.of(proof, proof), "GET", URI, null, null));
    }

    @Test
    void malformed() {
        refused(DpopFailure.MALFORMED, verify("not a jws"));
        refused(DpopFailure.MALFORMED, verify("a.b"));
        refused(DpopFailure.MALFORMED, verify("e30.e30.e30=")); // padding is not base64url JWS syntax
        refused(DpopFailure.MALFORMED, verify("bm90IGpzb24.e30.c2ln")); // header is not JSON
    }

    @Test
    void type() {
        refused(DpopFailure.TYPE, verify(Proofs.es256().header("typ", "JWT").sign()));
        refused(DpopFailure.TYPE, verify(Proofs.es256().header("typ", null).sign()));
    }

    @Test
    void algorithm() {
        refused(DpopFailure.ALGORITHM, verify(Proofs.es256().header("alg", "ES384").sign()));
        refused(DpopFailure.ALGORITHM, verify(Proofs.es256().header("alg", "none").sign()));
        refused(DpopFailure.ALGORITHM, verify(Proofs.es256().header("alg", "HS256").sign()));
    }

    @Test
    void noKey() {
        refused(DpopFailure.NO_KEY, verify(Proofs.es256().header("jwk", null).sign()));
        refused(DpopFailure.NO_KEY, verify(Proofs.es256().header("jwk", "a string").sign()));
    }

    @Test
    void privateKey() {
        Proofs ec = Proofs.es256();
        refused(DpopFailure.PRIVATE_KEY, verify(ec.header("jwk", ec.key.toJSONObject()).sign()));
        Proofs ed = Proofs.ed25519();
        refused(DpopFailure.PRIVATE_KEY, verify(ed.header("jwk", ed.key.toJSONObject()).sign()));
    }

    @Test
    void symmetricKey() throws Exception {
        Map<String, Object> oct = new OctetSequenceKeyGenerator(256).generate().toJSONObject();
        refused(DpopFailure.SYMMETRIC_KEY, verify(Proofs.es256().header("jwk", oct).sign()));
    }

    @Test
    void unsupportedKey() throws Exception {
        Map<String, Object> p384 = new ECKeyGenerator(Curve.P_384).generate().toPublicJWK().toJSONObject();
        refused(DpopFailure.UNSUPPORTED_KEY, verify(Proofs.es256().header("jwk", p384).sign()));
        Map<String, Object> rsa = new RSAKeyGenerator(2048).generate().toPublicJWK().toJSONObject();
        refused(DpopFailure.UNSUPPORTED_KEY, verify(Proofs.es256().header("jwk", rsa).sign()));
        // an Ed25519 key under alg ES256, and a P-256 key under EdDSA
        Map<String, Object> ed = Proofs.ed25519().key.toPublicJWK().toJSONObject();
        refused(DpopFailure.UNSUPPORTED_KEY, verify(Proofs.es256().header("jwk", ed).sign()));
        Map<String, Object> ec = Proofs.es256().key.toPublicJWK().toJSONObject();
        refused(DpopFailure.UNSUPPORTED_KEY, verify(Proofs.ed25519().header("jwk", ec).sign()));
    }

    @Test
    void signature() {
        Proofs other = Proofs.es256();
        refused(DpopFailure.SIGNATURE, verify(Proofs.es256().sign(other.key)));
        Proofs otherEd = Proofs.ed25519();
        refused(DpopFailure.SIGNATURE, verify(Proofs.ed25519().sign(otherEd.key)));
        String good = Proofs.es256().sign();
        int at = good.lastIndexOf('.') + 5; // a character inside the signature, not its last (padding bits)
        String tampered = good.substring(0, at) + (good.charAt(at) == 'A' ? 'B' : 'A') + good.substring(at + 1);
        refused(DpopFailure.SIGNATURE, verify(tampered));
    }

    @Test
    void missingJti() {
        refused(DpopFailure.MISSING_JTI, verify(Proofs.es256().claim("jti", null).sign()));
        refused(DpopFailure.MISSING_JTI, verify(Proofs.es256().claim("jti", "").sign()));
        // a jti that is not a string does not even parse as JWT claims
        refused(DpopFailure.MALFORMED, verify(Proofs.es256().claim("jti", 42).sign()));
    }

    @Test
    void jtiTooLong() {
        assertTrue(verify(Proofs.es256().claim("jti", "x".repeat(DpopProofVerifier.MAX_JTI_LENGTH)).sign()).ok());
        refused(DpopFailure.JTI_TOO_LONG,
                verify(Proofs.es256().claim("jti", "x".repeat(DpopProofVerifier.MAX_JTI_LENGTH + 1)).sign()));
    }

    @Test
    void method() {
        refused(DpopFailure.METHOD, verify(Proofs.es256().claim("htm", "POST").sign()));
        refused(DpopFailure.METHOD, verify(Proofs.es256().claim("htm", "get").sign()));
        refused(DpopFailure.METHOD, verify(Proofs.es256().claim("htm", null).sign()));
    }

    @Test
    void uri() {
        refused(DpopFailure.URI, verify(Proofs.es256().claim("htu", "https://api.example.com/mobile/other").sign()));
        refused(DpopFailure.URI, verify(Proofs.es256().claim("htu", "http://api.example.com/mobile/profile").sign()));
        refused(DpopFailure.URI, verify(Proofs.es256().claim("htu", "https://api.example.com:8443/mobile/profile")
                .sign()));
        refused(DpopFailure.URI, verify(Proofs.es256().claim("htu", "/mobile/profile").sign()));
        refused(DpopFailure.URI, verify(Proofs.es256().claim("htu", null).sign()));
    }

    @Test
    void missingIat() {
        refused(DpopFailure.MISSING_IAT, verify(Proofs.es256().claim("iat", null).sign()));
    }

    @Test
    void tooOld() {
        long now = System.currentTimeMillis() / 1000;
        refused(DpopFailure.TOO_OLD, verify(Proofs.es256()
                .claim("iat", now - DpopProofVerifier.MAX_AGE.toSeconds() - 5).sign()));
    }

    @Test
    void inFuture() {
        long now = System.currentTimeMillis() / 1000;
        refused(DpopFailure.IN_FUTURE, verify(Proofs.es256()
                .claim("iat", now + DpopProofVerifier.MAX_FUTURE.toSeconds() + 5).sign()));
    }

    @Test
    void missingAth() {
        Proofs p = Proofs.es256();
        refused(DpopFailure.MISSING_ATH, verifier.verify(List.of(p.sign()), "GET", URI, TOKEN, null));
    }

    @Test
    void wrongAth() {
        Proofs p = Proofs.es256().claim("ath", Hashes.sha256(TOKEN + "x"));
        refused(DpopFailure.WRONG_ATH, verifier.verify(List.of(p.sign()), "GET", URI, TOKEN, null));
    }

    @Test
    void keyMismatch() {
        Proofs other = Proofs.es256();
        Proofs p = Proofs.es256().claim("ath", Hashes.sha256(TOKEN));
        refused(DpopFailure.KEY_MISMATCH, verifier.verify(List.of(p.sign()), "GET", URI, TOKEN, other.jkt()));
    }

    @Test
    void everyReasonHasADescription() {
        for (DpopFailure failure : DpopFailure.values()) {
            assertTrue(failure.description().startsWith("the DPoP") || failure.description().startsWith("a DPoP")
                    || failure.description().startsWith("more than"), failure.name());
        }
    }
}
