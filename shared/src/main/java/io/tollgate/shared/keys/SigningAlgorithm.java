package io.tollgate.shared.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.tollgate.shared.crypto.RandomTokens;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;

/**
 * The algorithms token-api signs with, and can generate keys for: EdDSA (Ed25519, RFC 8037: an {@code OKP} key of
 * {@code crv: Ed25519}; Nimbus signs it through Tink), ES256 (P-256) and RS256 (2048-bit RSA).
 */
public enum SigningAlgorithm {
    EdDSA, ES256, RS256;

    private static final DateTimeFormatter KID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    /** Nimbus's name for it. */
    public JWSAlgorithm jws() {
        return JWSAlgorithm.parse(name());
    }

    /** A new private key ({@code use: sig}, {@code alg}, {@code iat}) with a {@code kid} of algorithm, time and chance. */
    public JWK generate(Instant now) {
        String kid = name().toLowerCase(Locale.ROOT) + "-" + KID_TIME.format(now) + "-" + RandomTokens.generate(48);
        try {
            return switch (this) {
                case EdDSA -> new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.EdDSA).issueTime(Date.from(now)).generate();
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).issueTime(Date.from(now)).generate();
                case RS256 -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256).issueTime(Date.from(now)).generate();
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + this + " key", e);
        }
    }

    /**
     * Nimbus's signer for a private key of this algorithm (Ed25519 through Tink); refuses a key of another type.
     * The caller has checked the key is this algorithm's (token-api's {@code SigningKeys}).
     */
    public JWSSigner signer(JWK key) {
        try {
            return switch (this) {
                case EdDSA -> new Ed25519Signer(key.toOctetKeyPair());
                case ES256 -> new ECDSASigner(key.toECKey());
                case RS256 -> new RSASSASigner(key.toRSAKey());
            };
        } catch (JOSEException | ClassCastException e) {
            throw new IllegalArgumentException("key " + key.getKeyID() + " cannot sign " + this + ": " + e.getMessage(),
                    e);
        }
    }
}
