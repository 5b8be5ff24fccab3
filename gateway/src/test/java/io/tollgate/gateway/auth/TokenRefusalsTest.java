package io.tollgate.gateway.auth;

import com.codahale.metrics.MetricRegistry;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.shared.auth.ClientTokens;
import io.tollgate.gateway.core.TokenText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One case per reason an access token is refused, each asserting the exact {@link Refusal} (and so the
 * {@code error_description} the client reads), with keys fetched from a real JWKS endpoint.
 */
class TokenRefusalsTest {
    private static TestIssuer issuer;
    private static JwksKeySource keys;
    private static TokenVerifier verifier;

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        keys = new JwksKeySource(issuer.jwksUri(), Duration.ofHours(1), Duration.ofMillis(100));
        keys.start();
        verifier = verifier(new MetricRegistry());
    }

    /** A verifier of its own (an empty cache) for {@link TestIssuer}'s tokens, counting into {@code metrics}. */
    private static TokenVerifier verifier(MetricRegistry metrics) {
        return new TokenVerifier(keys, TestIssuer.ISSUER, List.of("ES256"), Duration.ofSeconds(5), 1000, metrics);
    }

    @AfterAll
    static void stop() throws Exception {
        keys.stop();
        issuer.close();
    }

    private static JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(TestIssuer.KID).type(TokenVerifier.AT_JWT);
    }

    private static String claims(UnaryOperator<JWTClaimsSet.Builder> edit) {
        return issuer.sign(edit.apply(TestIssuer.claims("eve", "read")).build());
    }

    static Stream<Arguments> refusals() throws Exception {
        long now = System.currentTimeMillis();
        ECKey foreign = new ECKeyGenerator(Curve.P_256).keyID(TestIssuer.KID).generate();
        JWSObject notClaims = new JWSObject(header().build(), new Payload("[\"not\",\"a\",\"claims\",\"set\"]"));
        notClaims.sign(new ECDSASigner(issuer.key()));
        return Stream.of(
                Arguments.of("not three segments", "abc.def", Refusal.MALFORMED),
                Arguments.of("segments that are not JSON", "abc.def.ghi", Refusal.MALFORMED),
                Arguments.of("typ JWT", TestIssuer.sign(TestIssuer.claims("eve", "read").build(),
                        header().type(JOSEObjectType.JWT).build(), issuer.key()), Refusal.SIGNATURE_OR_TYPE),
                Arguments.of("foreign key with a known kid", TestIssuer.sign(TestIssuer.claims("eve", "read").build(),
                        header().build(), foreign), Refusal.SIGNATURE_OR_TYPE),
                Arguments.of("payload not a claims set", notClaims.serialize(), Refusal.INVALID),
                Arguments.of("expired", claims(c -> c.issueTime(new Date(now - 600_000))
                        .expirationTime(new Date(now - 60_000))), Refusal.EXPIRED),
                Arguments.of("not yet valid", claims(c -> c.notBeforeTime(new Date(now + 120_000))),
                        Refusal.NOT_YET_VALID),
                Arguments.of("issued in the future", claims(c -> c.issueTime(new Date(now + 120_000))),
                        Refusal.ISSUED_IN_FUTURE),
                Arguments.of("another API", claims(c -> c.audience("billing")), Refusal.WRONG_AUDIENCE),
                Arguments.of("no audience", claims(c -> c.audience((String) null)), Refusal.WRONG_AUDIENCE),
                Arguments.of("another issuer", claims(c -> c.issuer("http://evil.example")), Refusal.WRONG_ISSUER),
                Arguments.of("issuer with a trailing slash", claims(c -> c.issuer(TestIssuer.ISSUER + "/")),
                        Refusal.WRONG_ISSUER),
                Arguments.of("no client_id", claims(c -> c.claim("client_id", null)), Refusal.MISSING_CLAIMS),
                Arguments.of("no jti", claims(c -> c.jwtID(null)), Refusal.MISSING_CLAIMS),
                Arguments.of("no sid in a user token", claims(c -> c.claim("sid", null)), Refusal.MISSING_CLAIMS),
                Arguments.of("a blank subject", claims(c -> c.subject(" ")), Refusal.MISSING_CLAIMS),
                Arguments.of("cnf by certificate", claims(c -> c.claim("cnf", Map.of("x5t#S256", "abc"))),
                        Refusal.UNSUPPORTED_CONFIRMATION),
                Arguments.of("a client token mark on a user token", claims(c -> c.claim(ClientTokens.GRANT_TYPE_CLAIM,
                        ClientTokens.CLIENT_CREDENTIALS)), Refusal.INVALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachFaultHasItsOwnReason(String fault, String token, Refusal refusal) {
        assertThat(verifier.verify(token, "mobile").refusal()).as(fault).isEqualTo(refusal);
        assertThat(verifier.verifyCached(token, "mobile").refusal()).as(fault).isEqualTo(refusal);
    }

    @Test
    void aValidTokenVerifiesFromTheCachedKeys() {
        TokenVerifier.Result result = verifier.verifyCached(issuer.token("eve", "read"), "mobile");
        assertThat(result.refusal()).isNull();
        assertThat(result.token().subject()).isEqualTo("eve");
    }

    @Test
    void aKeyOnlyAFetchCouldFindIsLeftToTheBlockingVerify() throws Exception {
        ECKey next = issuer.rotate("test-key-3");
        Thread.sleep(150); // past the minimum refresh interval
        String token = TestIssuer.sign(TestIssuer.claims("eve", "read").build(), header().keyID("test-key-3").build(),
                next);
        assertThat(verifier.verifyCached(token, "mobile")).isSameAs(TokenVerifier.Result.KEYS_NOT_CACHED);
        assertThat(verifier.verify(token, "mobile").token()).isNotNull();
    }

    @Test
    void reasonsAreTheDescriptionsTheGatewayAnswers() {
        assertThat(Refusal.EXPIRED.description()).isEqualTo("the access token expired");
        assertThat(Refusal.WRONG_AUDIENCE.description()).isEqualTo("the access token is not meant for this API");
        assertThat(Refusal.MISSING_CLAIMS.description()).isEqualTo("the access token lacks required claims");
    }

    /**
     * Lookups fill one key per thread in place; the cache holds keys of its own, so later lookups on the thread
     * leave the cached tokens where they were: each token is found again, as itself.
     */
    @Test
    void cachedTokensAreFoundAgainAfterOtherLookupsOnTheSameThread() {
        MetricRegistry metrics = new MetricRegistry();
        TokenVerifier fresh = verifier(metrics);
        String alice = issuer.sign(TestIssuer.claims("alice", "read").build());
        String bob = issuer.sign(TestIssuer.claims("bob", "read").build());
        assertThat(fresh.verify(alice, "mobile").token().subject()).isEqualTo("alice");
        assertThat(fresh.verify(bob, "mobile").token().subject()).isEqualTo("bob");

        assertThat(fresh.verifyCached(alice, "mobile").token().subject()).isEqualTo("alice");
        assertThat(fresh.verifyCached(bob, "mobile").token().subject()).isEqualTo("bob");
        assertThat(fresh.verifyCached(alice, "mobile").token().subject()).isEqualTo("alice");
        assertThat(metrics.counter("gateway.tokens.cache.hits").getCount()).isEqualTo(3);
        assertThat(metrics.counter("gateway.tokens.cache.misses").getCount()).isEqualTo(2);
        assertThat(fresh.cachedTokens()).isEqualTo(2);
    }

    /**
     * A cache hit is not checked for syntax again: so a copy of a cached token that is not itself a compact JWS must
     * never meet the cached key. Characters beyond ASCII whose low byte is the original's (U+012E for '.', U+0165
     * for 'e'), and the padded copy, are each refused as malformed, after the token itself was cached.
     */
    @Test
    void aCopyOfACachedTokenThatIsNoCompactJwsIsRefusedAsMalformed() {
        MetricRegistry metrics = new MetricRegistry();
        TokenVerifier fresh = verifier(metrics);
        String token = issuer.sign(TestIssuer.claims("alice", "read").build());
        assertThat(fresh.verify(token, "mobile").token()).isNotNull();
        assertThat(fresh.verifyCached(token, "mobile").token()).isNotNull();

        int dot = token.indexOf('.');
        for (String copy : new String[] {token.substring(0, dot) + '\u012E' + token.substring(dot + 1),
                '\u0165' + token.substring(1), token + "=", " " + token}) {
            assertThat(fresh.verifyCached(copy, "mobile").refusal()).isEqualTo(Refusal.MALFORMED);
            assertThat(fresh.verify(copy, "mobile").refusal()).isEqualTo(Refusal.MALFORMED);
            assertThat(fresh.verifyCached(new TokenText("x" + copy, 1, copy.length() + 1), "mobile").refusal())
                    .isEqualTo(Refusal.MALFORMED);
        }
        assertThat(metrics.counter("gateway.tokens.cache.hits").getCount()).isEqualTo(1);
    }
}
