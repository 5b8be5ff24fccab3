package io.tollgate.tokenapi.it;

import com.nimbusds.jwt.SignedJWT;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.RefreshRetried;
import io.tollgate.shared.events.RefreshReused;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresh reuse interval and the absolute session lifetime of a plan, against real Redis, Kafka and LDAP: apps of
 * their own on plans with a 30 s and a 2 s interval and with a 6 s session (a broker of its own, so these plans
 * reach no other IT's registry).
 */
class RefreshRetryIT {
    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final PlanRecord RETRY = plan("retry-30", 30, 0);
    static final PlanRecord BRIEF = plan("retry-2", 2, 0);
    static final PlanRecord SESSION = plan("session-6", 0, 6);
    static final String CLIENT = "retry-mobile";
    static final String OTHER = "retry-other";
    static final String BRIEF_CLIENT = "retry-brief";
    static final String SESSION_CLIENT = "session-mobile";
    /** Published without a session lifetime; the test then gives it one. */
    static final PlanRecord LATER = plan("session-later", 0, 0);
    static final String LATER_CLIENT = "later-mobile";

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("refresh-retry-it").dedicatedKafka(1)
            .registry(RETRY, BRIEF, SESSION, app(CLIENT), sub(CLIENT, RETRY), app(OTHER), sub(OTHER, RETRY),
                    app(BRIEF_CLIENT), sub(BRIEF_CLIENT, BRIEF), app(SESSION_CLIENT), sub(SESSION_CLIENT, SESSION),
                    LATER, app(LATER_CLIENT), sub(LATER_CLIENT, LATER))
            .build();

    static Http http;

    static PlanRecord plan(String id, long reuseSeconds, long sessionSeconds) {
        return new PlanRecord(id, DemoRegistry.API, id, Set.of("read"), 0, 0, 0, 0, false, DemoRegistry.GRANT_TYPES,
                reuseSeconds, sessionSeconds);
    }

    static ApplicationRecord app(String client) {
        return new ApplicationRecord(client + "-app", client, client, ApplicationRecord.ClientType.PUBLIC, null,
                "demo@example.test", CREATED);
    }

    static SubscriptionRecord sub(String client, PlanRecord plan) {
        return new SubscriptionRecord("sub-" + client, client + "-app", client, DemoRegistry.API, plan.planId(),
                SubscriptionRecord.Status.APPROVED, CREATED);
    }

    @BeforeAll
    static void client() {
        http = new Http(STACK.baseUrl());
    }

    static Http.Answer login(String client, String user) {
        Http.Answer answer = http.postForm("/oauth2/token", params("grant_type", "password", "client_id", client,
                "username", user, "password", user + "-secret"));
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        return answer;
    }

    static Http.Answer refresh(String client, String refreshToken) {
        return http.postForm("/oauth2/token", params("grant_type", "refresh_token", "client_id", client,
                "refresh_token", refreshToken));
    }

    static Http.Answer ok(Http.Answer answer) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        return answer;
    }

    static void assertInvalidGrant(Http.Answer answer) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(400);
        assertThat(answer.text("error")).isEqualTo("invalid_grant");
        assertThat(answer.text("access_token")).isNull();
    }

    static String sid(Http.Answer answer) throws Exception {
        return SignedJWT.parse(answer.text("access_token")).getJWTClaimsSet().getStringClaim("sid");
    }

    static boolean revoked(String sid) {
        try (Jedis jedis = STACK.redis().jedis()) {
            return jedis.exists(RedisKeys.revokedFamily(sid));
        }
    }

    static <T> List<T> events(Class<T> type, Predicate<T> match, Predicate<List<T>> until) {
        Topic<String, Event<?>> topic = Topics.AUTH_EVENTS;
        List<ConsumerRecord<String, Event<?>>> records = STACK.kafka().readUntil(topic, rs -> until.test(
                rs.stream().map(r -> r.value().data()).filter(type::isInstance).map(type::cast).filter(match).toList()),
                Duration.ofSeconds(20));
        return records.stream().map(r -> r.value().data()).filter(type::isInstance).map(type::cast).filter(match)
                .toList();
    }

    /** The auth events of one family, read until {@code until} holds for them. */
    static List<EventData> familyEvents(String sid, Predicate<List<EventData>> until) {
        Predicate<EventData> ofFamily = d -> (d instanceof TokenRefreshed t && t.familyId().equals(sid))
                || (d instanceof RefreshRetried r && r.familyId().equals(sid))
                || (d instanceof RefreshReused r && r.familyId().equals(sid))
                || (d instanceof LoginSucceeded l && l.familyId().equals(sid));
        return events(EventData.class, ofFamily, until);
    }

    @Test
    void aRetryInsideTheIntervalGetsTheSamePairAndTheFamilyLivesOn() throws Exception {
        String r0 = login(CLIENT, "alice").text("refresh_token");
        Http.Answer first = ok(refresh(CLIENT, r0));
        String sid = sid(first);

        Http.Answer again = ok(refresh(CLIENT, r0));

        assertThat(again.text("access_token")).isEqualTo(first.text("access_token"));
        assertThat(again.text("refresh_token")).isEqualTo(first.text("refresh_token"));
        assertThat(again.text("scope")).isEqualTo("read");
        assertThat(again.text("token_type")).isEqualTo("Bearer");
        assertThat(again.json().get("expires_in").asLong()).isBetween(1L, 300L);
        assertThat(again.header("Cache-Control")).isEqualTo("no-store");
        assertThat(revoked(sid)).isFalse();
        // Redis holds the successor pair only sealed: neither token appears in the clear
        try (Jedis jedis = STACK.redis().jedis()) {
            Map<String, String> kept = jedis.hgetAll(RedisKeys.refreshRetry(Hashes.sha256(r0)));
            assertThat(kept.get("successor")).isEqualTo(Hashes.sha256(first.text("refresh_token")));
            assertThat(kept.get("sealed")).isNotBlank().doesNotContain(first.text("refresh_token"))
                    .doesNotContain(first.text("access_token"));
            assertThat(jedis.ttl(RedisKeys.refreshRetry(Hashes.sha256(r0)))).isBetween(1L, 30L);
        }
        // the successor works, and its own successor too: the family was not revoked
        Http.Answer next = ok(refresh(CLIENT, first.text("refresh_token")));
        ok(refresh(CLIENT, next.text("refresh_token")));
        RefreshRetried retried = events(RefreshRetried.class, e -> e.familyId().equals(sid), l -> !l.isEmpty()).get(0);
        assertThat(retried.userId()).isEqualTo("alice");
        assertThat(retried.clientId()).isEqualTo(CLIENT);
        assertThat(retried.generation()).isEqualTo(1);
        // every event of the family up to the last rotation, and no reuse among them
        List<EventData> family = familyEvents(sid, l -> l.stream().filter(TokenRefreshed.class::isInstance).count() >= 3);
        assertThat(family).filteredOn(RefreshReused.class::isInstance).isEmpty();
        assertThat(family).filteredOn(RefreshRetried.class::isInstance).hasSize(1);
    }

    @Test
    void aRetryAfterTheIntervalIsReuseAndRevokesTheFamily() throws Exception {
        String r0 = login(BRIEF_CLIENT, "bob").text("refresh_token");
        Http.Answer first = ok(refresh(BRIEF_CLIENT, r0));
        String sid = sid(first);
        assertThat(ok(refresh(BRIEF_CLIENT, r0)).text("refresh_token")).as("inside the interval")
                .isEqualTo(first.text("refresh_token"));
        awaitGone(RedisKeys.refreshRetry(Hashes.sha256(r0)));

        assertInvalidGrant(refresh(BRIEF_CLIENT, r0));

        assertThat(revoked(sid)).isTrue();
        assertInvalidGrant(refresh(BRIEF_CLIENT, first.text("refresh_token")));
        assertThat(events(RefreshReused.class, e -> e.familyId().equals(sid), l -> !l.isEmpty())).hasSize(1);
    }

    @Test
    void aRetryOnceTheSuccessorWasUsedIsReuseAndRevokesTheFamily() throws Exception {
        String r0 = login(CLIENT, "erin").text("refresh_token");
        Http.Answer first = ok(refresh(CLIENT, r0));
        String sid = sid(first);
        Http.Answer second = ok(refresh(CLIENT, first.text("refresh_token")));

        Http.Answer late = refresh(CLIENT, r0);

        assertInvalidGrant(late);
        assertThat(late.response().body()).doesNotContain(first.text("refresh_token"));
        assertThat(revoked(sid)).isTrue();
        assertInvalidGrant(refresh(CLIENT, second.text("refresh_token")));
        // the successor's own retry is over too: the family is gone
        assertInvalidGrant(refresh(CLIENT, first.text("refresh_token")));
        assertThat(events(RefreshReused.class, e -> e.familyId().equals(sid), l -> !l.isEmpty())).isNotEmpty();
    }

    @Test
    void anotherClientNeverGetsTheSuccessorPair() throws Exception {
        String r0 = login(CLIENT, "alice").text("refresh_token");
        Http.Answer first = ok(refresh(CLIENT, r0));
        String sid = sid(first);

        Http.Answer foreign = refresh(OTHER, r0);

        assertInvalidGrant(foreign);
        assertThat(foreign.response().body()).doesNotContain(first.text("refresh_token"))
                .doesNotContain(first.text("access_token"));
        assertInvalidGrant(refresh(OTHER, first.text("refresh_token")));
        // a client cannot act on another client's family (as for any of its tokens): its own client keeps it
        assertThat(revoked(sid)).isFalse();
        assertThat(ok(refresh(CLIENT, r0)).text("refresh_token")).isEqualTo(first.text("refresh_token"));
    }

    @Test
    void aConcurrentDoubleSubmitRotatesOnceAndEveryAnswerIsTheSamePair() throws Exception {
        for (int round = 0; round < 5; round++) {
            String r0 = login(CLIENT, "bob").text("refresh_token");
            int threads = 6;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Http.Answer>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < threads; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return refresh(CLIENT, r0);
                    }));
                }
                start.countDown();
                List<Http.Answer> done = new ArrayList<>();
                for (Future<Http.Answer> f : answers) {
                    done.add(ok(f.get()));
                }
                assertThat(done).extracting(a -> a.text("refresh_token")).containsOnly(done.get(0).text("refresh_token"));
                assertThat(done).extracting(a -> a.text("access_token")).containsOnly(done.get(0).text("access_token"));
                String sid = sid(done.get(0));
                assertThat(revoked(sid)).isFalse();
                try (Jedis jedis = STACK.redis().jedis()) {
                    assertThat(jedis.hget(RedisKeys.family(sid), "generation")).as("one rotation").isEqualTo("1");
                }
                ok(refresh(CLIENT, done.get(0).text("refresh_token")));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aFamilyEndsAtItsPlansSessionLifetime() throws Exception {
        Http.Answer login = login(SESSION_CLIENT, "erin");
        String sid = sid(login);
        LoginSucceeded event = events(LoginSucceeded.class, e -> e.familyId().equals(sid), l -> !l.isEmpty()).get(0);
        long created;
        try (Jedis jedis = STACK.redis().jedis()) {
            created = Long.parseLong(jedis.hget(RedisKeys.family(sid), "createdAt")) / 1000;
        }
        long sessionEnd = created + 6;
        assertThat(event.refreshExpiresAt().getEpochSecond()).as("the login's refresh token").isEqualTo(sessionEnd);

        Http.Answer refreshed = ok(refresh(SESSION_CLIENT, login.text("refresh_token")));
        TokenRefreshed rotated = events(TokenRefreshed.class, e -> e.familyId().equals(sid), l -> !l.isEmpty()).get(0);
        assertThat(rotated.refreshExpiresAt().getEpochSecond()).as("each new refresh token").isEqualTo(sessionEnd);
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(Long.parseLong(jedis.hget(RedisKeys.family(sid), "expiresAt"))).isEqualTo(sessionEnd);
        }

        while (Instant.now().getEpochSecond() < sessionEnd) {
            Thread.sleep(200);
        }
        assertInvalidGrant(refresh(SESSION_CLIENT, refreshed.text("refresh_token")));
        // a new login starts a new session
        ok(refresh(SESSION_CLIENT, login(SESSION_CLIENT, "erin").text("refresh_token")));
    }

    @Test
    void theSessionLifetimeIsThePlansAsItIsNowNotAtTheLogin() throws Exception {
        Http.Answer before = login(LATER_CLIENT, "bob");
        PlanRecord shortened = plan(LATER.planId(), 0, 1);
        try (Producer<String, Event<?>> producer = STACK.kafka().producer(Topics.REGISTRY)) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), shortened.subject(),
                    Event.of(Event.source("ops", "refresh-retry-it"), shortened))).get();
        }
        // token-api's view has the new plan once a new login's refresh token ends with the 1 s session
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            String sid = sid(login(LATER_CLIENT, "erin"));
            try (Jedis jedis = STACK.redis().jedis()) {
                long created = Long.parseLong(jedis.hget(RedisKeys.family(sid), "createdAt")) / 1000;
                if (Long.parseLong(jedis.hget(RedisKeys.family(sid), "expiresAt")) == created + 1) {
                    break;
                }
            }
            assertThat(System.nanoTime()).as("the shortened plan in token-api's view").isLessThan(deadline);
            Thread.sleep(100);
        }
        long beforeCreated;
        try (Jedis jedis = STACK.redis().jedis()) {
            beforeCreated = Long.parseLong(jedis.hget(RedisKeys.family(sid(before)), "createdAt")) / 1000;
        }
        while (Instant.now().getEpochSecond() < beforeCreated + 1) {
            Thread.sleep(100);
        }

        Http.Answer refused = refresh(LATER_CLIENT, before.text("refresh_token"));

        assertInvalidGrant(refused);
        assertThat(refused.text("error_description")).contains("maximum lifetime");
    }

    static void awaitGone(String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Jedis jedis = STACK.redis().jedis()) {
            while (jedis.exists(key)) {
                assertThat(System.nanoTime()).as(key + " expires").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }
}
