package io.tollgate.shared.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.tollgate.shared.crypto.RandomTokens;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The algorithms token-api signs with, and can generate keys for: EdDSA (Ed25519, RFC 8037: an {@code OKP} key of
 * {@code crv: Ed25519}; signed by {@link Ed25519JwsSigner}, verified by {@link Ed25519JwsVerifier}), ES256 (P-256;
 * signed by Nimbus through the JDK, verified by {@link Es256JwsVerifier}) and RS256 (2048-bit RSA, Nimbus through the
 * JDK).
 */
public enum SigningAlgorithm {
    EdDSA, ES256, RS256;

    private static final DateTimeFormatter KID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    /** The names, for messages: {@code EdDSA, ES256, RS256}. */
    public static final String NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

    /**
     * The algorithm {@code key} is for: its {@code alg}, or the natural one for its type (ES256 for EC, RS256 for
     * RSA, EdDSA for OKP). A key whose {@code alg} is none of these, or whose type is not its algorithm's (an RSA
     * key that says ES256, an EC key off P-256, an OKP key of another curve than Ed25519), is refused.
     *
     * @throws IllegalArgumentException naming the key and why
     */
    public static SigningAlgorithm of(JWK key) {
        SigningAlgorithm algorithm;
        if (key.getAlgorithm() != null) {
            String name = key.getAlgorithm().getName();
            algorithm = Arrays.stream(values()).filter(a -> a.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("key " + key.getKeyID() + ": algorithm " + name
                            + " is not one Tollgate signs with (" + NAMES + ")"));
        } else if (key instanceof ECKey) {
            algorithm = ES256;
        } else if (key instanceof RSAKey) {
            algorithm = RS256;
        } else if (key instanceof OctetKeyPair) {
            algorithm = EdDSA;
        } else {
            throw new IllegalArgumentException("unsupported key type " + key.getKeyType() + " for "
                    + key.getKeyID() + " (Tollgate signs with " + NAMES + ")");
        }
        if (!algorithm.fits(key)) {
            throw new IllegalArgumentException("key " + key.getKeyID() + " is not a " + algorithm + " key"
                    + (algorithm == EdDSA ? " (EdDSA: an OKP key of crv Ed25519)" : ""));
        }
        return algorithm;
    }

    /** True when {@code key} is of this algorithm's type: P-256 for ES256, RSA for RS256, Ed25519 for EdDSA. */
    public boolean fits(JWK key) {
        return switch (this) {
            case EdDSA -> key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
            case ES256 -> key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
            case RS256 -> key instanceof RSAKey;
        };
    }

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
     * The signer for a private key of this algorithm ({@link Ed25519JwsSigner} for Ed25519, Nimbus's own for the
     * others); refuses a key of another type.
     * The caller has checked the key is this algorithm's (token-api's {@code SigningKeys}).
     */
    public JWSSigner signer(JWK key) {
        try {
            return switch (this) {
                case EdDSA -> new Ed25519JwsSigner(key.toOctetKeyPair());
                case ES256 -> new ECDSASigner(key.toECKey());
                case RS256 -> new RSASSASigner(key.toRSAKey());
            };
        } catch (JOSEException | ClassCastException e) {
            throw new IllegalArgumentException("key " + key.getKeyID() + " cannot sign " + this + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * The verifier over the public part of a key of this algorithm ({@link Ed25519JwsVerifier}, {@link Es256JwsVerifier},
     * Nimbus's {@code RSASSAVerifier}); refuses a key that does not {@link #fits fit}. Whether the key may verify at all ({@code use}, {@code key_ops}, ROCA) is
     * {@code SignatureKeyPolicy}'s question, asked before.
     */
    public JWSVerifier verifier(JWK key) {
        if (!fits(key)) {
            throw new IllegalArgumentException("key " + key.getKeyID() + " is not a " + this + " key");
        }
        try {
            return switch (this) {
                case EdDSA -> new Ed25519JwsVerifier(key.toOctetKeyPair());
                case ES256 -> new Es256JwsVerifier(key.toECKey());
                case RS256 -> new RSASSAVerifier(key.toRSAKey().toPublicJWK());
            };
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable key " + key.getKeyID() + ": " + e.getMessage(), e);
        }
    }
}
