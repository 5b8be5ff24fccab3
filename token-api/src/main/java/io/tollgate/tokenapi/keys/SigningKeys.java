package io.tollgate.tokenapi.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.tollgate.shared.crypto.SignatureKeyPolicy;
import io.tollgate.shared.keys.KeySet;
import io.tollgate.shared.keys.KeySetException;
import io.tollgate.shared.keys.KeySetFile;
import io.tollgate.shared.keys.ManagedKey;
import io.tollgate.shared.keys.SigningAlgorithm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One state of the key set: the active key signs, the published and active keys are served (public parts only)
 * and verify, staged keys do neither. Immutable; {@link ReloadingSigningKeys} swaps in a new one when the key set
 * file changes.
 */
public final class SigningKeys implements SigningKeySource {
    private final KeySet set;
    private final JWK current;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final JWKSet publicSet;
    private final String publicJson;
    private final Map<String, Verification> verifiers = new HashMap<>();

    /** A key's one algorithm and its verifier: a token is checked only with the algorithm its key was made for. */
    private record Verification(JWSAlgorithm algorithm, JWSVerifier verifier) {
    }

    /** Every key is checked (algorithm, fitness for signatures), staged ones too; the set needs an active key. */
    public SigningKeys(KeySet keys) {
        this.set = keys;
        List<JWK> published = new ArrayList<>();
        for (ManagedKey key : keys.keys()) {
            JWSVerifier verifier = verifier(key.jwk());
            if (key.state().published()) {
                verifiers.put(key.kid(), new Verification(algorithm(key.jwk()), verifier));
                published.add(key.jwk());
            }
        }
        current = keys.active().map(ManagedKey::jwk).orElseThrow(() -> new KeySetException("no key is active: "
                + "make a published key the signing key with `tollgate keys promote KID`"));
        SigningAlgorithm signing = SigningAlgorithm.of(current);
        algorithm = signing.jws();
        signer = signing.signer(current);
        publicSet = new JWKSet(published).toPublicJWKSet();
        publicJson = publicSet.toString(true);
    }

    /** A plain JWK set: the newest key by issue time ({@code iat}) signs, every key is published. */
    public SigningKeys(JWKSet keys) {
        this(plain(keys));
    }

    private static KeySet plain(JWKSet keys) {
        if (keys.getKeys().isEmpty()) {
            throw new KeySetException("the JWK set holds no key");
        }
        return KeySetFile.fromPlainJwks(keys.getKeys());
    }

    @Override
    public SigningKeys current() {
        return this;
    }

    /** The key set these keys were made from. */
    public KeySet keySet() {
        return set;
    }

    /** Loads the key set file, or creates it with one new (demo) key when it does not exist. */
    public static SigningKeys loadOrCreate(Path file, SigningAlgorithm generate) {
        try {
            if (!Files.exists(file)) {
                KeySetFile.write(file, KeySet.init(generate, Instant.now(), true));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key file " + file, e);
        }
        return new SigningKeys(KeySetFile.read(file));
    }

    /** A new private key with a {@code kid} made of its algorithm and creation time. */
    public static JWK generate(SigningAlgorithm algorithm, Instant now) {
        return algorithm.generate(now);
    }

    /** Writes a plain JWK set with its private parts, readable by the owner only (tests and hand-made files). */
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

    /** {@link #publicJwkSet()} as JSON. */
    public String publicJwkSetJson() {
        return publicJson;
    }

    /** The algorithms of the published keys, the signing key's first (for the server metadata). */
    public List<String> publishedAlgorithms() {
        LinkedHashSet<String> algs = new LinkedHashSet<>();
        algs.add(algorithm.getName());
        verifiers.values().forEach(v -> algs.add(v.algorithm().getName()));
        return List.copyOf(algs);
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
     * The algorithm a key signs with ({@link SigningAlgorithm#of}): its {@code alg}, or the natural one for its type;
     * one of {@link SigningAlgorithm}'s, which the gateways' default allow-list accepts.
     */
    public static JWSAlgorithm algorithm(JWK key) {
        return SigningAlgorithm.of(key).jws();
    }

    /** Nimbus's verifier for a key of one of {@link SigningAlgorithm}'s algorithms, fit for signatures. */
    static JWSVerifier verifier(JWK key) {
        SigningAlgorithm algorithm = SigningAlgorithm.of(key);
        Optional<String> unfit = SignatureKeyPolicy.unfit(key);
        if (unfit.isPresent()) {
            throw new IllegalArgumentException("key " + key.getKeyID() + " cannot verify signatures: " + unfit.get());
        }
        return algorithm.verifier(key);
    }
}
