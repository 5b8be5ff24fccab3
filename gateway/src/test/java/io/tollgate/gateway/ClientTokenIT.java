package io.tollgate.gateway;

import com.nimbusds.jwt.JWTClaimsSet;
import io.tollgate.gateway.testing.DpopKeys;
import io.tollgate.gateway.testing.GatewayFixture;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static io.tollgate.gateway.testing.Gateways.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client tokens (client credentials grant) at the gateway, against a real Kafka broker and Redis: every identity
 * header but {@code X-Authenticated-UserId}, the client as the rate limit's user dimension, token state by jti and
 * client only, and no token that mixes the two kinds.
 */
class ClientTokenIT {
    static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    /** A plan of 3 calls a minute, for the rate limit test. */
    static final PlanRecord TINY = new PlanRecord("svc-tiny", "mobile", "Tiny", Set.of("read"), 3, 0, 0, 1, false,
            Set.of("client_credentials"));
    static final SubscriptionRecord TINY_SUB = new SubscriptionRecord("sub-svc-tiny-mobile", "svc-tiny-app",
            "svc-tiny", "mobile", TINY.planId(), SubscriptionRecord.Status.APPROVED, AT);
    static final SubscriptionRecord REVOKED_SUB = new SubscriptionRecord("sub-svc-revoked-mobile", "svc-revoked-app",
            "svc-revoked", "mobile", DemoRegistry.PREMIUM.planId(), SubscriptionRecord.Status.APPROVED, AT);

    @RegisterExtension
    static final GatewayFixture FIXTURE = GatewayFixture.nodes("client-token-it")
            .beforeNodes(fixture -> fixture.publish(List.of(TINY, TINY_SUB, REVOKED_SUB)));

    /** Claims as token-api issues them to {@code client} by the client credentials grant. */
    static JWTClaimsSet.Builder clientClaims(String client, String scope) {
        return TestIssuer.claims(client, scope).claim("client_id", client).claim("sid", null)
                .claim("gty", "client_credentials");
    }

    static String clientToken(String client, String scope) {
        return FIXTURE.issuer().sign(clientClaims(client, scope).build());
    }

    static HttpResponse<String> call(String token, String... headers) throws Exception {
        return get(FIXTURE.node(), "/mobile/svc", token, headers);
    }

    @Test
    void aClientTokenGetsEveryIdentityHeaderButTheUserIdEvenIfTheClientSentOne() throws Exception {
        HttpResponse<String> response = call(clientToken(DemoRegistry.SERVICE_CLIENT_ID, "read write"),
                "X-Authenticated-UserId", "alice", "X-Consumer-Username", "forged");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("RateLimit-Policy")).contains("\"minute\";q=600;w=60");

        RecordingUpstream.Received received = FIXTURE.upstream().last();
        assertThat(received.headers()).doesNotContainKey("x-authenticated-userid");
        assertThat(received.headers().get("x-authenticated-scope")).containsExactly("read write");
        assertThat(received.headers().get("x-credential-identifier")).containsExactly("demo-service");
        assertThat(received.headers().get("x-consumer-custom-id")).containsExactly("sub-demo-service-app-mobile");
        assertThat(received.headers().get("x-consumer-username")).containsExactly("demo-service-app$mobile");
        assertThat(received.headers().get("x-apiplan")).containsExactly("premium");
    }

    @Test
    void aDpopBoundClientTokenWorksWithAProofAndIsRefusedAsBearer() throws Exception {
        DpopKeys key = new DpopKeys();
        String token = FIXTURE.issuer().sign(clientClaims(DemoRegistry.SERVICE_CLIENT_ID, "read")
                .claim("cnf", java.util.Map.of("jkt", key.jkt())).build());
        String url = "http://127.0.0.1:" + FIXTURE.node().port() + "/mobile/svc";
        HttpResponse<String> ok = Gateways.send(FIXTURE.node(), "GET", "/mobile/svc", null,
                "Authorization", "DPoP " + token, "DPoP", key.proof("GET", url, token));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        RecordingUpstream.Received received = FIXTURE.upstream().last();
        assertThat(received.headers()).doesNotContainKey("x-authenticated-userid").doesNotContainKey("dpop");
        assertThat(received.headers().get("x-credential-identifier")).containsExactly("demo-service");
        FIXTURE.upstream().clear();

        HttpResponse<String> bearer = call(token, "DPoP", key.proof("GET", url, token));
        assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(401);
        assertThat(bearer.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("DPoP ")
                .contains("invalid_token");
        HttpResponse<String> otherKey = Gateways.send(FIXTURE.node(), "GET", "/mobile/svc", null,
                "Authorization", "DPoP " + token, "DPoP", new DpopKeys().proof("GET", url, token));
        assertThat(otherKey.statusCode()).as(otherKey.body()).isEqualTo(401);
        assertThat(otherKey.body()).contains("invalid_dpop_proof");
        assertThat(FIXTURE.upstream().count()).isZero();
    }

    @Test
    void aTokenThatMixesTheTwoKindsIsRefusedAndNeverProxied() throws Exception {
        List<UnaryOperator<JWTClaimsSet.Builder>> mixed = List.of(
                c -> c.claim("sid", "sid-1"),                         // a client token with a family
                c -> c.subject("alice"),                              // sub is not the client
                c -> c.claim("gty", "password"),                      // an unknown mark
                c -> c.claim("gty", null));                           // neither sid nor mark
        for (UnaryOperator<JWTClaimsSet.Builder> edit : mixed) {
            HttpResponse<String> response = call(FIXTURE.issuer().sign(edit.apply(clientClaims("demo-service",
                    "read")).build()));
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("error=\"invalid_token\"");
        }
        assertThat(FIXTURE.upstream().count()).isZero();
    }

    @Test
    void theClientIsTheUserDimensionOfTheRateLimitAndCallsNameNoUser() throws Exception {
        GatewayIT.awayFromMinuteBoundary();
        // three tokens of one client share its (client, client) counter: the fourth call is over the limit
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = call(clientToken("svc-tiny", "read"));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        }
        HttpResponse<String> limited = call(clientToken("svc-tiny", "read"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(FIXTURE.upstream().count()).isEqualTo(3);
        // a user token of another client counts apart
        String token = FIXTURE.issuer().token("alice-" + System.nanoTime(), "read");
        assertThat(get(FIXTURE.node(), "/mobile/svc", token).statusCode()).isEqualTo(200);

        var records = FIXTURE.kafka().readUntil(Topics.CALLS, rs -> rs.stream()
                .filter(r -> r.value().data() instanceof ApiCall c && "svc-tiny".equals(c.clientId())).count() >= 4,
                Duration.ofSeconds(20));
        List<ApiCall> calls = records.stream().map(r -> r.value().data()).filter(d -> d instanceof ApiCall c
                && "svc-tiny".equals(c.clientId())).map(ApiCall.class::cast).toList();
        assertThat(calls).allSatisfy(c -> assertThat(c.userId()).isNull());
        assertThat(calls).extracting(ApiCall::outcome).contains(ApiCall.Outcome.PROXIED, ApiCall.Outcome.RATE_LIMITED);
    }

    @Test
    void revocationByJtiOrClientEndsAClientTokenAndUserFactsNeverApply() throws Exception {
        JWTClaimsSet claims = clientClaims("svc-revoked", "read").build();
        String token = FIXTURE.issuer().sign(claims);
        String other = clientToken("svc-revoked", "read");
        assertThat(call(token).statusCode()).isEqualTo(200);
        assertThat(call(other).statusCode()).isEqualTo(200);
        long now = System.currentTimeMillis() / 1000;
        // a user who happens to be called like the client is revoked and denied: the client token does not care
        publish(RedisKeys.userNotBefore("svc-revoked"), Long.toString(now));
        try (Jedis jedis = FIXTURE.redis().jedis()) {
            jedis.hset(RedisKeys.decision("svc-revoked"), "outcome", "DENY");
            jedis.publish(RedisKeys.INVALIDATION_CHANNEL, RedisKeys.decision("svc-revoked"));
        }
        assertThat(call(token).statusCode()).isEqualTo(200);

        publish(RedisKeys.revokedJti(claims.getJWTID()), Long.toString(now));
        assertThat(awaitStatus(token, 401)).isEqualTo(401);
        assertThat(call(other).statusCode()).as("another token of the client").isEqualTo(200);

        publish(RedisKeys.clientNotBefore("svc-revoked"), Long.toString(now));
        assertThat(awaitStatus(other, 401)).isEqualTo(401);
    }

    private static void publish(String key, String value) {
        try (Jedis jedis = FIXTURE.redis().jedis()) {
            jedis.set(key, value);
            jedis.publish(RedisKeys.INVALIDATION_CHANNEL, key);
        }
    }

    /** Calls until the answer is {@code status} (the invalidation is asynchronous), for at most 10 s. */
    private static int awaitStatus(String token, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int last;
        do {
            last = call(token).statusCode();
        } while (last != status && System.nanoTime() < deadline);
        return last;
    }
}
