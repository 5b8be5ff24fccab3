package io.tollgate.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import io.tollgate.shared.keys.SigningAlgorithm;

import java.security.Key;
import java.util.HashSet;
import java.util.Set;

/**
 * Nimbus's verifiers for RSA and EC keys, and its Ed25519 verifier (through Tink) for the keys
 * {@link SignatureKeySelector} selects for an EdDSA header. An Ed25519 key verifies EdDSA only.
 */
final class SignatureVerifierFactory extends DefaultJWSVerifierFactory {
    private static final Set<JWSAlgorithm> SUPPORTED;

    static {
        Set<JWSAlgorithm> algorithms = new HashSet<>(DefaultJWSVerifierFactory.SUPPORTED_ALGORITHMS);
        algorithms.add(JWSAlgorithm.EdDSA);
        SUPPORTED = Set.copyOf(algorithms);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return SUPPORTED;
    }

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (key instanceof SignatureKeySelector.Ed25519PublicKey ed) {
            if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
                throw new JOSEException("an Ed25519 key verifies EdDSA only, not " + header.getAlgorithm());
            }
            return SigningAlgorithm.EdDSA.verifier(ed.jwk());
        }
        return super.createJWSVerifier(header, key);
    }
}
