package io.tollgate.shared.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.impl.EdDSAProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.util.Arrays;

/**
 * Nimbus's {@link JWSSigner} for Ed25519 (RFC 8037, {@code alg} EdDSA or Ed25519) over Bouncy Castle's RFC 8032
 * implementation. Ed25519 signatures are deterministic, so it writes the very bytes Nimbus's own
 * {@code Ed25519Signer} (Tink) writes, and Nimbus's {@code Ed25519Verifier} verifies them; per signature it takes
 * about half the CPU and allocates a few KB where Tink allocates about 180 KB. Thread-safe.
 */
public final class Ed25519JwsSigner extends EdDSAProvider implements JWSSigner {
    /** Keeps its public key, derived once here, for every signature. */
    private final Ed25519PrivateKeyParameters privateKey;

    /**
     * @param key a private Ed25519 key pair whose {@code x} is the public key of its {@code d}
     * @throws JOSEException for another curve, a public key only, or an {@code x} that is not {@code d}'s
     */
    public Ed25519JwsSigner(OctetKeyPair key) throws JOSEException {
        if (!Curve.Ed25519.equals(key.getCurve())) {
            throw new JOSEException("an Ed25519 signer needs a key of crv Ed25519, not " + key.getCurve());
        }
        if (!key.isPrivate()) {
            throw new JOSEException("an Ed25519 signer needs the private key (d)");
        }
        byte[] d = key.getDecodedD();
        if (d.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new JOSEException("an Ed25519 private key (d) is " + Ed25519PrivateKeyParameters.KEY_SIZE
                    + " bytes, not " + d.length);
        }
        privateKey = new Ed25519PrivateKeyParameters(d, 0);
        Ed25519PublicKeyParameters publicKey = privateKey.generatePublicKey();
        // A published x that is not d's public key would make every token unverifiable by the JWKS.
        if (!Arrays.equals(publicKey.getEncoded(), key.getDecodedX())) {
            throw new JOSEException("the key's x is not the public key of its d");
        }
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!JWSAlgorithm.EdDSA.equals(alg) && !JWSAlgorithm.Ed25519.equals(alg)) {
            throw new JOSEException("an Ed25519 signer signs alg EdDSA or Ed25519, not " + alg);
        }
        byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
        privateKey.sign(Ed25519.Algorithm.Ed25519, null, signingInput, 0, signingInput.length, signature, 0);
        return Base64URL.encode(signature);
    }
}
