package io.tollgate.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JOSEProcessorConfiguration;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import io.tollgate.shared.crypto.CompactJws;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The signature layer of access-token verification, apart from {@code typ} and the claims: the compact
 * syntax, the algorithm allow-list, the issuer's keys and Nimbus's verifier for each. {@link TokenVerifier}
 * applies it to its JWT processor; the Wycheproof tests apply the same layer to a plain JWS processor,
 * because their payloads are not access tokens.
 */
public final class JwsVerification {
    private final Set<JWSAlgorithm> allowed;
    private final JWSKeySelector<SecurityContext> keySelector;
    private final JWSVerifierFactory verifierFactory = new SignatureVerifierFactory();

    /**
     * @param algorithms the allow-list; only RSA, ECDSA and EdDSA (Ed25519) algorithms. A MAC (HS*), {@code none}
     *                   or another name stops the gateway at start-up, instead of an allow-list that promises
     *                   what can never verify (or what a published public key could forge).
     */
    public JwsVerification(JWKSource<SecurityContext> keys, Collection<String> algorithms) {
        Set<JWSAlgorithm> parsed = new LinkedHashSet<>();
        for (String name : algorithms) {
            JWSAlgorithm alg = JWSAlgorithm.parse(name);
            if (!JWSAlgorithm.Family.RSA.contains(alg) && !JWSAlgorithm.Family.EC.contains(alg)
                    && !JWSAlgorithm.EdDSA.equals(alg)) {
                throw new IllegalArgumentException("tokens.algorithms: " + name + " is not an asymmetric JWS algorithm"
                        + " the gateway can verify (RS*, PS*, ES*, EdDSA)");
            }
            parsed.add(alg);
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("tokens.algorithms is empty");
        }
        this.allowed = Set.copyOf(parsed);
        this.keySelector = new SignatureKeySelector(allowed, keys);
    }

    /** Three non-empty unpadded base64url segments: see {@link CompactJws#isWellFormed}; checked before parsing. */
    public static boolean isWellFormed(String token) {
        return CompactJws.isWellFormed(token);
    }

    /** {@link #isWellFormed(String)} of the characters {@code [from, to)} of {@code text}. */
    public static boolean isWellFormed(String text, int from, int to) {
        return CompactJws.isWellFormed(text, from, to);
    }

    public Set<JWSAlgorithm> allowed() {
        return allowed;
    }

    /**
     * Keys of the header's {@code kid}, of the algorithm's type (Ed25519 for EdDSA), for signing, only for an
     * allowed algorithm: see {@link SignatureKeySelector}.
     */
    public JWSKeySelector<SecurityContext> keySelector() {
        return keySelector;
    }

    /** The Nimbus verifier for a selected key. */
    public JWSVerifierFactory verifierFactory() {
        return verifierFactory;
    }

    /** Sets this layer's key selection and verifiers on a Nimbus processor; returns it. */
    public <P extends JOSEProcessorConfiguration<SecurityContext>> P applyTo(P processor) {
        processor.setJWSKeySelector(keySelector);
        processor.setJWSVerifierFactory(verifierFactory);
        return processor;
    }
}
