package io.tollgate.tokenapi.it;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8707 resource indicators at the token endpoint, with demo-mobile subscribed to two APIs: {@code mobile} on plan
 * basic ({@code read}) and {@code orders} on a plan granting {@code read write}; plus a pending subscription to
 * {@code ledger}. A broker of its own: the extra subscriptions must not reach the other ITs' registry.
 */
class ResourceIndicatorsIT {
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final PlanRecord ORDERS_PLAN = new PlanRecord("orders-plus", "orders", "Orders plus",
            Set.of("read", "write"), 600, 0, 0, 10, false, DemoRegistry.GRANT_TYPES);
    static final SubscriptionRecord ORDERS = new SubscriptionRecord("sub-orders", DemoRegistry.APPLICATION_ID,
            DemoRegistry.CLIENT_ID, "orders", ORDERS_PLAN.planId(), SubscriptionRecord.Status.APPROVED, CREATED);
    static final PlanRecord LEDGER_PLAN = new PlanRecord("ledger-basic", "ledger", "Ledger", Set.of("ledger:read"),
            60, 0, 0, 3, true, DemoRegistry.GRANT_TYPES);
    static final SubscriptionRecord LEDGER = new SubscriptionRecord("sub-ledger", DemoRegistry.APPLICATION_ID,
            DemoRegistry.CLIENT_ID, "ledger", LEDGER_PLAN.planId(), SubscriptionRecord.Status.PENDING, CREATED);

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("resource-it").dedicatedKafka(1)
            .registry(ORDERS_PLAN, ORDERS, LEDGER_PLAN, LEDGER).cleanRedisBeforeEach().build();

    static Http http;

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
    }

    /** A token request with {@code resource} once per value (a form Map cannot repeat a name). */
    static Http.Answer token(String form, String... resources) {
        StringBuilder body = new StringBuilder(form).append("&client_id=").append(DemoRegistry.CLIENT_ID);
        for (String resource : resources) {
            body.append("&resource=").append(URLEncoder.encode(resource, StandardCharsets.UTF_8));
        }
        return http.post("/oauth2/token", "application/x-www-form-urlencoded",
                body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Http.Answer login(String user, String... resources) {
        return token("grant_type=password&username=" + user + "&password=" + user + "-secret", resources);
    }

    static Http.Answer refresh(String refreshToken, String... resources) {
        return token("grant_type=refresh_token&refresh_token=" + refreshToken, resources);
    }

    static JWTClaimsSet claims(Http.Answer answer) throws Exception {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        return SignedJWT.parse(answer.text("access_token")).getJWTClaimsSet();
    }

    static void assertInvalidTarget(Http.Answer answer) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_target");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void withoutResourceTheAudienceIsEveryApiAndAResourceNarrowsAudAndScope() throws Exception {
        JWTClaimsSet all = claims(login("alice"));
        assertThat(all.getAudience()).containsExactly("mobile", "orders");
        assertThat(all.getStringClaim("scope")).isEqualTo("read write");

        Http.Answer mobile = login("alice", "mobile");
        JWTClaimsSet mobileOnly = claims(mobile);
        assertThat(mobileOnly.getAudience()).containsExactly("mobile");
        assertThat(mobileOnly.getStringClaim("scope")).isEqualTo("read");
        assertThat(mobile.text("scope")).isEqualTo("read");
        String sid = mobileOnly.getStringClaim("sid");
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.hget(RedisKeys.family(sid), "audience")).isEqualTo("mobile");
        }
        // the family's audience is in the event, so a projection rebuilt from Kafka keeps it
        LoginSucceeded event = awaitLogin(sid);
        assertThat(event.audience()).containsExactly("mobile");

        JWTClaimsSet ordersOnly = claims(login("alice", "orders"));
        assertThat(ordersOnly.getAudience()).containsExactly("orders");
        assertThat(ordersOnly.getStringClaim("scope")).isEqualTo("read write");
    }

    @Test
    void severalResourcesAreAllowedAndMakeTheAudienceExactlyThoseApis() throws Exception {
        Http.Answer both = login("bob", "orders", "mobile", "orders");
        JWTClaimsSet claims = claims(both);
        assertThat(claims.getAudience()).containsExactly("mobile", "orders");
        assertThat(both.text("scope")).isEqualTo("read write");
        // the exception is resource's alone: any other parameter sent twice is still invalid_request
        Http.Answer twice = token("grant_type=password&username=bob&password=bob-secret&scope=read&scope=write",
                "mobile");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.text("error")).isEqualTo("invalid_request");
    }

    @Test
    void anUnknownUnsubscribedPendingOrMalformedResourceIsInvalidTarget() {
        assertInvalidTarget(login("erin", "nope"));
        assertInvalidTarget(login("erin", "ledger")); // subscribed, but not approved
        assertInvalidTarget(login("erin", "mobile", "nope"));
        assertInvalidTarget(login("erin", "https://api.example/mobile"));
        assertInvalidTarget(login("erin", "mob ile"));
        assertInvalidTarget(login("erin", "x".repeat(300)));
        // a refused target costs the user nothing: the next login works
        assertThat(login("erin", "mobile").status()).isEqualTo(200);
    }

    @Test
    void aRefreshMayNarrowTheAudienceButNeverWidenIt() throws Exception {
        Http.Answer login = login("alice", "mobile", "orders");
        assertThat(claims(login).getAudience()).containsExactly("mobile", "orders");

        Http.Answer narrowed = refresh(login.text("refresh_token"), "mobile");
        JWTClaimsSet mobileOnly = claims(narrowed);
        assertThat(mobileOnly.getAudience()).containsExactly("mobile");
        assertThat(mobileOnly.getStringClaim("scope")).isEqualTo("read");
        assertThat(narrowed.text("scope")).isEqualTo("read");
        // narrowing one access token does not shrink the family's grant
        Http.Answer again = refresh(narrowed.text("refresh_token"));
        JWTClaimsSet whole = claims(again);
        assertThat(whole.getAudience()).containsExactly("mobile", "orders");
        assertThat(whole.getStringClaim("scope")).isEqualTo("read write");

        Http.Answer small = login("bob", "mobile");
        String refreshToken = small.text("refresh_token");
        assertInvalidTarget(refresh(refreshToken, "orders"));
        assertInvalidTarget(refresh(refreshToken, "mobile", "orders"));
        assertInvalidTarget(refresh(refreshToken, "nope"));
        // a refused target does not use the refresh token up, and without resource the family keeps to mobile
        Http.Answer plain = refresh(refreshToken);
        JWTClaimsSet kept = claims(plain);
        assertThat(kept.getAudience()).containsExactly("mobile");
        assertThat(kept.getStringClaim("scope")).isEqualTo("read");
    }

    static LoginSucceeded awaitLogin(String sid) {
        return awaitLogin(STACK, sid);
    }

    static LoginSucceeded awaitLogin(TokenApiTestStack stack, String sid) {
        List<ConsumerRecord<String, Event<?>>> records = stack.kafka().readUntil(Topics.AUTH_EVENTS,
                rs -> rs.stream().anyMatch(r -> r.value().data() instanceof LoginSucceeded l && l.familyId().equals(sid)),
                Duration.ofSeconds(20));
        return records.stream().map(r -> r.value().data()).filter(d -> d instanceof LoginSucceeded l
                && l.familyId().equals(sid)).map(LoginSucceeded.class::cast).findFirst().orElseThrow();
    }
}
