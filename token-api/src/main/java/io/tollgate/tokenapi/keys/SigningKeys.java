package io.tollgate.tokenapi.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.tollgate.shared.crypto.SignatureKeyPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The service's signing keys: the newest signs, all are published (public parts only) and verify. */
public final class SigningKeys {
    private static final DateTimeFormatter KID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
            .withZone(ZoneOffset.UTC);

    private final JWK current;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final JWKSet publicSet;
    private final Map<String, Verification> verifiers = new HashMap<>();

    /** A key's one algorithm and its verifier: a token is checked only with the algorithm its key was made for. */
    private record Verification(JWSAlgorithm algorithm, JWSVerifier verifier) {
    }

    public SigningKeys(JWKSet keys) {
        List<JWK> all = keys.getKeys();
        if (all.isEmpty()) {
            throw new IllegalArgumentException("the JWK set holds no key");
        }
        for (JWK key : all) {
            if (key.getKeyID() == null || key.getKeyID().isBlank()) {
                throw new IllegalArgumentException("every signing key needs a kid");
            }
            if (!key.isPrivate()) {
                throw new IllegalArgumentException("key " + key.getKeyID() + " has no private part");
            }
            verifiers.put(key.getKeyID(), new Verification(algorithm(key), verifier(key)));
        }
        // Newest by issue time; keys without iat count as oldest, in file order.
        current = all.stream()
                .max(Comparator.comparing((JWK k) -> k.getIssueTime() == null ? new Date(0) : k.getIssueTime())
                        .thenComparing(all::indexOf))
                .orElseThrow();
        algorithm = algorithm(current);
        signer = signer(current);
        publicSet = keys.toPublicJWKSet();
    }

    /** Loads the JWK set file, or creates it with one new key when it does not exist. */
    public static SigningKeys loadOrCreate(Path file, SigningAlgorithm generate) {
        try {
            if (!Files.exists(file)) {
                JWKSet created = new JWKSet(generate(generate, Instant.now()));
                write(file, created);
                return new SigningKeys(created);
            }
            return new SigningKeys(JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the key file " + file, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the key file " + file + " is not a JWK set: " + e.getMessage(), e);
        }
    }

    /** A new private key with a {@code kid} made of its algorithm and creation time. */
    public static JWK generate(SigningAlgorithm algorithm, Instant now) {
        String kid = algorithm.name().toLowerCase() + "-" + KID_TIME.format(now) + "-"
                + io.tollgate.shared.crypto.RandomTokens.generate(48);
        try {
            return switch (algorithm) {
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).issueTime(Date.from(now)).generate();
                case RS256 -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256).issueTime(Date.from(now)).generate();
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
    }

    /** Writes the set with its private parts, readable by the owner only. */
    public static void write(Path file, JWKSet keys) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "jwks", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        Files.writeString(tmp, keys.toString(false), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public String currentKeyId() {
        return current.getKeyID();
    }

    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    public JWSSigner signer() {
        return signer;
    }

    /** The public keys, for {@code GET /oauth2/jwks}. */
    public JWKSet publicJwkSet() {
        return publicSet;
    }

    /**
     * The signature layer of verification: the header names one of these keys ({@code kid}) and exactly its
     * algorithm, and the signature verifies. Nimbus's RSA verifier alone would take any RS* or PS* algorithm
     * with an RSA key (Project Wycheproof's WrongPrimitive vectors).
     */
    public boolean verifies(JWSObject jws) {
        String kid = jws.getHeader().getKeyID();
        Verification v = kid == null ? null : verifiers.get(kid);
        if (v == null || !v.algorithm().equals(jws.getHeader().getAlgorithm())) {
            return false;
        }
        try {
            return jws.verify(v.verifier());
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * The algorithm a key signs with: its {@code alg}, or the natural one for its type; one of
     * {@link SigningAlgorithm}'s, which the gateways' default allow-list accepts.
     */
    public static JWSAlgorithm algorithm(JWK key) {
        JWSAlgorithm alg;
        if (key.getAlgorithm() != null) {
            alg = JWSAlgorithm.parse(key.getAlgorithm().getName());
        } else if (key instanceof ECKey) {
            alg = JWSAlgorithm.ES256;
        } else if (key instanceof RSAKey) {
            alg = JWSAlgorithm.RS256;
        } else {
            throw new IllegalArgumentException("unsupported key type for " + key.getKeyID()
                    + " (EdDSA needs Tink on the class path; use ES256 or RS256)");
        }
        if (!ALGORITHMS.contains(alg)) {
            throw new IllegalArgumentException("key " + key.getKeyID() + ": algorithm " + alg
                    + " is not one token-api signs with (ES256, RS256)");
        }
        if (JWSAlgorithm.ES256.equals(alg) && !(key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve()))
                || JWSAlgorithm.RS256.equals(alg) && !(key instanceof RSAKey)) {
            throw new IllegalArgumentException("key " + key.getKeyID() + " is not a " + alg + " key");
        }
        return alg;
    }

    private static final Set<JWSAlgorithm> ALGORITHMS = Arrays.stream(SigningAlgorithm.values())
            .map(a -> JWSAlgorithm.parse(a.name())).collect(Collectors.toUnmodifiableSet());

    private static JWSSigner signer(JWK key) {
        try {
            if (key instanceof ECKey ec) {
                return new ECDSASigner(ec);
            }
            if (key instanceof RSAKey rsa) {
                return new RSASSASigner(rsa);
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable key " + key.getKeyID() + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unsupported key type " + key.getKeyType() + " for " + key.getKeyID());
    }

    /** Nimbus's verifier for a key of one of {@link #algorithm}'s algorithms, fit for signatures. */
    static JWSVerifier verifier(JWK key) {
        algorithm(key);
        Optional<String> unfit = SignatureKeyPolicy.unfit(key);
        if (unfit.isPresent()) {
            throw new IllegalArgumentException("key " + key.getKeyID() + " cannot verify signatures: " + unfit.get());
        }
        try {
            if (key instanceof ECKey ec) {
                return new ECDSAVerifier(ec.toPublicJWK());
            }
            if (key instanceof RSAKey rsa) {
                return new RSASSAVerifier(rsa.toPublicJWK());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable key " + key.getKeyID() + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("unsupported key type " + key.getKeyType() + " for " + key.getKeyID());
    }
}
