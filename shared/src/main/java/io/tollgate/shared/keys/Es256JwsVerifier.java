package io.tollgate.shared.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.impl.AlgorithmSupportMessage;
import com.nimbusds.jose.crypto.impl.CriticalHeaderParamsDeferral;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.crypto.impl.ECDSAProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

import java.math.BigInteger;

/**
 * Nimbus's {@link JWSVerifier} for ES256 (ECDSA on P-256 with SHA-256, RFC 7518 §3.4) over Bouncy Castle's
 * ECDSA on its P-256 field arithmetic. It accepts what Nimbus's {@code ECDSAVerifier} accepts, with one
 * difference Project Wycheproof names: a valid signature whose point kG has an x-coordinate above the group order
 * (about one honest signature in 2^128), which the JDK refuses, verifies here. On a JDK 17 it verifies in about a
 * tenth of the JDK's time (70-80 µs against 800, a DPoP proof on every call depends on it).
 * <ul>
 *   <li>The key: the public point of a {@code crv: P-256} key, checked on the curve and not the point at
 *       infinity when the verifier is made.</li>
 *   <li>A signature: exactly 64 bytes, R then S (the JWS encoding, not DER), each in [1, n-1]
 *       ({@link ECDSA#ensureLegalSignature}, as Nimbus checks), and {@code crit} headers refused as Nimbus's
 *       verifiers refuse them.</li>
 * </ul>
 * Thread-safe.
 */
public final class Es256JwsVerifier extends ECDSAProvider implements JWSVerifier {
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("P-256");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256);
    private static final int HALF = 32;

    private final ECPublicKeyParameters publicKey;
    private final CriticalHeaderParamsDeferral crit = new CriticalHeaderParamsDeferral(); // no crit header is understood

    /**
     * @param key a P-256 key; only its public point is used
     * @throws JOSEException for another curve, or a point that is not on P-256
     */
    public Es256JwsVerifier(ECKey key) throws JOSEException {
        super(JWSAlgorithm.ES256);
        if (!Curve.P_256.equals(key.getCurve())) {
            throw new JOSEException("an ES256 verifier needs a key of crv P-256, not " + key.getCurve());
        }
        try {
            publicKey = new ECPublicKeyParameters(P256.getCurve().validatePoint(
                    key.getX().decodeToBigInteger(), key.getY().decodeToBigInteger()), DOMAIN);
        } catch (IllegalArgumentException e) {
            throw new JOSEException("the key's point is not on P-256: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!JWSAlgorithm.ES256.equals(alg)) {
            throw new JOSEException(AlgorithmSupportMessage.unsupportedJWSAlgorithm(alg, supportedJWSAlgorithms()));
        }
        if (!crit.headerPasses(header)) {
            return false;
        }
        byte[] rs = signature.decode();
        try {
            ECDSA.ensureLegalSignature(rs, alg); // 64 bytes, R and S in [1, n-1]
        } catch (JOSEException e) {
            return false;
        }
        SHA256Digest sha256 = new SHA256Digest();
        sha256.update(signingInput, 0, signingInput.length);
        byte[] hash = new byte[sha256.getDigestSize()];
        sha256.doFinal(hash, 0);
        ECDSASigner ecdsa = new ECDSASigner();
        ecdsa.init(false, publicKey);
        return ecdsa.verifySignature(hash, new BigInteger(1, rs, 0, HALF), new BigInteger(1, rs, HALF, HALF));
    }
}
