package io.tollgate.shared.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.keys.SigningAlgorithm;

import java.text.ParseException;
import java.util.List;
import java.util.Map;

/**
 * The public keys a DPoP proof may carry in its {@code jwk} header: P-256 for ES256, Ed25519 for EdDSA, public
 * parts only. Signatures are checked with {@link SigningAlgorithm#verifier}'s verifiers, as access tokens are.
 */
final class ProofKeys {
    /** Members that only a private or symmetric JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private ProofKeys() {
    }

    /** Checks the raw {@code jwk} header member against {@code alg}; null when acceptable. */
    static DpopFailure check(Object jwk, JWSAlgorithm alg) {
        if (!(jwk instanceof Map<?, ?> members)) {
            return DpopFailure.NO_KEY;
        }
        Object kty = members.get("kty");
        if ("oct".equals(kty)) {
            return DpopFailure.SYMMETRIC_KEY;
        }
        for (String member : PRIVATE_MEMBERS) {
            if (members.containsKey(member)) {
                return DpopFailure.PRIVATE_KEY;
            }
        }
        Object crv = members.get("crv");
        boolean ok = JWSAlgorithm.ES256.equals(alg) ? "EC".equals(kty) && Curve.P_256.getName().equals(crv)
                : JWSAlgorithm.EdDSA.equals(alg) && "OKP".equals(kty) && Curve.Ed25519.getName().equals(crv);
        return ok ? null : DpopFailure.UNSUPPORTED_KEY;
    }

    /** Whether the proof's signature verifies with {@code key} (already {@link #check checked} against its alg). */
    static boolean verifies(SignedJWT proof, JWK key) {
        try {
            return proof.verify(SigningAlgorithm.valueOf(proof.getHeader().getAlgorithm().getName()).verifier(key));
        } catch (JOSEException | IllegalArgumentException | IllegalStateException e) {
            return false;
        }
    }

    /** The RFC 7638 SHA-256 thumbprint of {@code key}, base64url. */
    static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    static JWK parse(Map<String, Object> members) throws ParseException {
        return JWK.parse(members);
    }
}
