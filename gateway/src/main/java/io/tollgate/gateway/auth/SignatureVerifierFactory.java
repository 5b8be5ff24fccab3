package io.tollgate.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import io.tollgate.shared.keys.SigningAlgorithm;

import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.util.HashSet;
import java.util.Set;

/**
 * The verifiers {@link SigningAlgorithm} makes for the algorithms Tollgate signs with: for an EdDSA header and the
 * Ed25519 keys {@link SignatureKeySelector} selects for it (an Ed25519 key verifies EdDSA only), and for an ES256
 * header and a P-256 key (Bouncy Castle's ECDSA, a tenth of the JDK's time); Nimbus's own for the other algorithms
 * an operator may allow (RS256 and the rest through the JDK).
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
        if (key instanceof ECPublicKey ec && JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                throw new JOSEException("an ES256 signature needs a P-256 key");
            }
            return SigningAlgorithm.ES256.verifier(new ECKey.Builder(Curve.P_256, ec).build());
        }
        return super.createJWSVerifier(header, key);
    }
}
