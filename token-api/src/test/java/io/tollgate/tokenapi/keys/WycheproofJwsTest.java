package io.tollgate.tokenapi.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import io.tollgate.shared.keys.SigningAlgorithm;
import io.tollgate.testkit.Wycheproof;
import io.tollgate.testkit.Wycheproof.Result;
import io.tollgate.testkit.Wycheproof.Vector;
import io.tollgate.tokenapi.core.AccessTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Project Wycheproof's JWS vectors through the verifier behind {@code POST /oauth2/introspect}:
 * {@link AccessTokens#verify} is {@link AccessTokens#parse} (syntax), {@code typ} at+jwt,
 * {@link SigningKeys#verifies} (kid, the key's one algorithm, signature), then the claims. These payloads
 * ("foo") are not access tokens and carry no {@code typ}, so the two signature-side layers run on their own,
 * with the group's key loaded as token-api loads its key file ({@link SigningKeys#loadOrCreate}). A key the
 * service refuses to load (an HMAC secret, an algorithm it does not sign with: everything but EdDSA, ES256 and
 * RS256, and the file has no EdDSA vector; a key not meant for signatures) refuses its vectors: token-api has no
 * such key to verify with.
 */
class WycheproofJwsTest {
    private static final List<Vector> JWS = Wycheproof.load(Wycheproof.JWS);
    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.ES256,
            JWSAlgorithm.RS256);
    private static final Map<JsonNode, Optional<SigningKeys>> KEYS = new IdentityHashMap<>();

    @TempDir
    static Path dir;

    static Stream<Vector> jws() {
        return JWS.stream();
    }

    /** The group's private key as a key file, loaded by production; empty when token-api refuses it. */
    static synchronized Optional<SigningKeys> keys(Vector v) {
        return KEYS.computeIfAbsent(v.group(), group -> {
            Path file = dir.resolve("jwks-" + KEYS.size() + ".json");
            try {
                Files.writeString(file, "{\"keys\":[" + group.get("private") + "]}");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return Optional.of(SigningKeys.loadOrCreate(file, SigningAlgorithm.ES256));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    static boolean accepts(Vector v) {
        Optional<SigningKeys> keys = keys(v);
        return keys.isPresent() && AccessTokens.parse(v.text("jws")).filter(keys.get()::verifies).isPresent();
    }

    static JWSAlgorithm algorithm(Vector v) {
        try {
            return JWSHeader.parse(Base64URL.from(v.text("jws").split("\\.", -1)[0])).getAlgorithm();
        } catch (Exception e) {
            return null;
        }
    }

    /** As at the gateway: a JWS with an empty payload is refused by the syntax check (no token has one). */
    static boolean emptyPayload(Vector v) {
        String[] parts = v.text("jws").split("\\.", -1);
        return parts.length == 3 && parts[1].isEmpty();
    }

    /**
     * RFC 7520 Figure 13 with key_ops: the group's private key says {@code "key_ops": ["sign, verify"]}, one
     * string that is no key operation, so Nimbus refuses to parse it and token-api would not start with that
     * key file (its public key, {@code ["verify"]}, is accepted at the gateway).
     */
    static final int UNPARSEABLE_PRIVATE_KEY = 349;

    static boolean expected(Vector v) {
        return v.result() == Result.VALID && ALLOWED.contains(algorithm(v)) && !emptyPayload(v)
                && v.tcId() != UNPARSEABLE_PRIVATE_KEY;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jws")
    void jwsVector(Vector v) {
        assertThat(v.result()).as("%s: no acceptable vector in the JWS file", v).isNotEqualTo(Result.ACCEPTABLE);
        assertThat(accepts(v)).as("%s: alg %s, key loaded: %s", v, algorithm(v), keys(v).isPresent())
                .isEqualTo(expected(v));
    }

    @Test
    void everyVectorRunsAndTheCountsAreKnown() {
        assertThat(JWS).hasSize(401);
        assertThat(JWS.stream().filter(WycheproofJwsTest::accepts)).hasSize(8)
                .allMatch(v -> v.result() == Result.VALID && ALLOWED.contains(algorithm(v)));
        assertThat(JWS.stream().filter(v -> v.result() == Result.VALID && ALLOWED.contains(algorithm(v))
                && !accepts(v))).extracting(Vector::tcId).containsExactly(259, UNPARSEABLE_PRIVATE_KEY);
        // the 36 valid vectors of other algorithms are refused, and so is every vector of the WrongPrimitive
        // group (a PS512 key): token-api does not load a key it would not sign with
        assertThat(JWS.stream().filter(v -> v.result() == Result.VALID && !ALLOWED.contains(algorithm(v))))
                .hasSize(36).noneMatch(WycheproofJwsTest::accepts);
        assertThat(JWS.stream().filter(v -> v.flags().contains("WrongPrimitive"))).hasSize(10)
                .noneMatch(WycheproofJwsTest::accepts);
    }
}
