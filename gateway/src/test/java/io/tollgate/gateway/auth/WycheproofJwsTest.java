package io.tollgate.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.proc.DefaultJOSEProcessor;
import com.nimbusds.jose.proc.SecurityContext;
import io.tollgate.gateway.config.TokenFactory;
import io.tollgate.testkit.Wycheproof;
import io.tollgate.testkit.Wycheproof.Result;
import io.tollgate.testkit.Wycheproof.Vector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Project Wycheproof's JWS and JWK vectors through the gateway's signature layer ({@link JwsVerification}
 * with the default allow-list of {@link TokenFactory}, keys through {@link JwksKeySource}), as
 * {@link TokenVerifier} uses it. Its JWT processor also checks {@code typ} and the claims, which these
 * payloads ("foo") do not have, so the same layer is applied to Nimbus's plain JWS processor here.
 * Accepted means: well-formed compact JWS and a signature that one of the selected keys verifies.
 */
class WycheproofJwsTest {
    private static final List<Vector> JWS = Wycheproof.load(Wycheproof.JWS);
    private static final List<Vector> JWK = Wycheproof.load(Wycheproof.JWK);
    private static final List<String> ALGORITHMS = new TokenFactory().algorithms;
    private static final WycheproofKeys KEYS = new WycheproofKeys(Stream.concat(JWS.stream(), JWK.stream()).toList());

    @AfterAll
    static void stop() {
        KEYS.close();
    }

    static Stream<Vector> jws() {
        return JWS.stream();
    }

    static Stream<Vector> jwk() {
        return JWK.stream();
    }

    /** The gateway's verdict: the production layer, its allow-list, the group's keys as fetched. */
    static boolean accepts(Vector v) {
        String token = v.text("jws");
        if (!JwsVerification.isWellFormed(token)) {
            return false;
        }
        JwsVerification layer = new JwsVerification(KEYS.of(v), ALGORITHMS);
        try {
            layer.applyTo(new DefaultJOSEProcessor<SecurityContext>()).process(token, null);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The header's {@code alg}, or null when the token has no readable JWS header. */
    static JWSAlgorithm algorithm(Vector v) {
        try {
            return JWSHeader.parse(com.nimbusds.jose.util.Base64URL.from(v.text("jws").split("\\.", -1)[0])).getAlgorithm();
        } catch (Exception e) {
            return null;
        }
    }

    static boolean allowed(Vector v) {
        JWSAlgorithm alg = algorithm(v);
        return alg != null && new JwsVerification(KEYS.of(v), ALGORITHMS).allowed().contains(alg);
    }

    /**
     * A valid JWS with an empty payload ({@code header..signature}) is refused by the syntax check before
     * Nimbus: an access token always has a claims payload, so such a JWS can never pass the claims check
     * behind it. The only such vector with an allowed algorithm is RS256 tcId 259.
     */
    static boolean emptyPayload(Vector v) {
        String[] parts = v.text("jws").split("\\.", -1);
        return parts.length == 3 && parts[1].isEmpty();
    }

    /** Accepted exactly when valid, of an allowed algorithm, and shaped like a token (non-empty payload). */
    static boolean expected(Vector v) {
        return v.result() == Result.VALID && allowed(v) && !emptyPayload(v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jws")
    void jwsVector(Vector v) {
        assertVerdict(v);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jwk")
    void jwkVector(Vector v) {
        assertVerdict(v);
    }

    private static void assertVerdict(Vector v) {
        assertThat(v.result()).as("%s: no acceptable vector in the JWS and JWK files", v).isNotEqualTo(Result.ACCEPTABLE);
        if (expected(v)) {
            assertThat(accepts(v)).as("%s: valid, %s allowed: accepted", v, algorithm(v)).isTrue();
        } else {
            assertThat(accepts(v)).as("%s: alg %s (allowed: %s, empty payload: %s): refused", v, algorithm(v),
                    allowed(v), emptyPayload(v)).isFalse();
        }
    }

    @Test
    void everyVectorOfBothFilesRunsAndTheCountsAreKnown() {
        assertThat(JWS).hasSize(401);
        assertThat(JWS.stream().filter(v -> v.result() == Result.VALID)).hasSize(46);
        assertThat(JWS.stream().filter(v -> v.result() == Result.INVALID)).hasSize(355);
        assertThat(JWK).hasSize(26);
        assertThat(JWK.stream().filter(v -> v.result() == Result.VALID)).hasSize(5);
        assertThat(ALGORITHMS).containsExactly("EdDSA", "ES256", "RS256");
        // accepted: the valid ES256 / RS256 vectors with a payload, nothing else
        assertThat(JWS.stream().filter(WycheproofJwsTest::accepts)).hasSize(9)
                .allMatch(v -> v.result() == Result.VALID);
        assertThat(JWS.stream().filter(v -> v.result() == Result.VALID && allowed(v) && !accepts(v)))
                .extracting(Vector::tcId).containsExactly(259);
        assertThat(JWK.stream().filter(WycheproofJwsTest::accepts)).hasSize(1)
                .allMatch(v -> v.result() == Result.VALID);
        // the allow-list refuses the 36 valid vectors of other algorithms (HS*, RS384/512, PS*, ES512)
        assertThat(JWS.stream().filter(v -> v.result() == Result.VALID && !allowed(v))).hasSize(36)
                .noneMatch(WycheproofJwsTest::accepts);
    }
}
