package io.tollgate.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;

import java.security.Key;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Nimbus's key selection (the header's {@code alg} allowed, then the keys of its {@code kid}, of that algorithm's
 * key type, for signatures, whose own {@code alg} is absent or the header's), extended to EdDSA: Nimbus hands a
 * verifier only keys it converts to Java keys, and an OKP key has no such conversion. For an EdDSA header the
 * Ed25519 keys (RFC 8037, {@code kty OKP, crv Ed25519}) that match are handed on as {@link Ed25519PublicKey};
 * an OKP key of any other curve ({@code X25519}, {@code Ed448}) is never selected. Any other algorithm takes
 * Nimbus's path unchanged, which never selects an OKP key: no header can put an Ed25519 key to another use.
 */
final class SignatureKeySelector extends JWSVerificationKeySelector<SecurityContext> {

    /** An Ed25519 public key as a {@link Key} Nimbus can pass to {@link SignatureVerifierFactory}. */
    record Ed25519PublicKey(OctetKeyPair jwk) implements PublicKey {
        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        /** No X.509 encoding is made: the key only ever reaches {@link SignatureVerifierFactory}. */
        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    SignatureKeySelector(Set<JWSAlgorithm> allowed, JWKSource<SecurityContext> keys) {
        super(allowed, keys);
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            return super.selectJWSKeys(header, context);
        }
        JWKMatcher matcher = isAllowed(header.getAlgorithm()) ? createJWKMatcher(header) : null;
        if (matcher == null) {
            return List.of();
        }
        List<Key> keys = new ArrayList<>();
        for (JWK jwk : getJWKSource().get(new JWKSelector(matcher), context)) {
            if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                keys.add(new Ed25519PublicKey(okp.toPublicJWK()));
            }
        }
        return keys;
    }
}
