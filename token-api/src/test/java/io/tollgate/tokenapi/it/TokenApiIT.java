package io.tollgate.tokenapi.it;

import io.tollgate.tokenapi.TestApps;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.crypto.PasswordHashes;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.Tokens;
import java.net.URI;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventCodec;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.LoginLocked;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.RefreshReused;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.events.TokenRevoked;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/** token-api against a real Kafka broker, a real Redis and a real LDAP directory. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenApiIT {
    static final String CLIENT = DemoRegistry.CLIENT_ID;
    static final List<String> PASSWORDS = List.of("alice-secret", "bob-secret", "carol-secret", "dave-secret",
            "erin-secret", "ops-secret", "gateway-secret", "wrong-password-1", TokenApiIT.CONFIDENTIAL_SECRET,
            "s3cret%2B%2F%3Ax");

    /** A secret whose plain and form-urlencoded forms differ, to tell RFC 7617 from RFC 6749 §2.3.1. */
    static final String CONFIDENTIAL_SECRET = "s3cret+/:x";
    static final ApplicationRecord CONFIDENTIAL = new ApplicationRecord("conf-app", "conf-client", "Confidential",
            ApplicationRecord.ClientType.CONFIDENTIAL, PasswordHashes.hash(CONFIDENTIAL_SECRET, 10_000), "it@example.test",
            Instant.parse("2026-01-01T00:00:00Z"));
    static final SubscriptionRecord CONFIDENTIAL_SUBSCRIPTION = new SubscriptionRecord("sub-conf", "conf-app",
            "conf-client", "mobile", "premium", SubscriptionRecord.Status.APPROVED, Instant.parse("2026-01-01T00:00:00Z"));

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("token-api-it")
            .registry(CONFIDENTIAL, CONFIDENTIAL_SUBSCRIPTION).cleanRedisBeforeEach().captureLogs().build();
    static final String ISSUER = STACK.baseUrl();

    static Http http;

    @BeforeAll
    static void client() {
        http = new Http(ISSUER);
    }

    static Http.Answer login(String user, String password) {
        return http.postForm("/oauth2/token", params("grant_type", "password", "client_id", CLIENT, "username", user,
                "password", password));
    }

    static Http.Answer refresh(String refreshToken) {
        return http.postForm("/oauth2/token", params("grant_type", "refresh_token", "client_id", CLIENT,
                "refresh_token", refreshToken));
    }

    static Http.Answer introspect(String token) {
        return http.postForm("/oauth2/introspect", params("token", token), "Authorization",
                Http.basic("gateway", "gateway-secret"));
    }

    static <T> T awaitEvent(Topic<String, Event<?>> topic, Class<T> type, Predicate<T> match) {
        List<ConsumerRecord<String, Event<?>>> records = STACK.kafka().readUntil(topic,
                rs -> rs.stream().anyMatch(r -> type.isInstance(r.value().data()) && match.test(type.cast(r.value().data()))),
                Duration.ofSeconds(20));
        return records.stream().map(r -> r.value().data()).filter(type::isInstance).map(type::cast).filter(match)
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " event matched"));
    }

    /**
     * What a resource server does with the published JWKS alone: the key the token's {@code kid} names, used only
     * with that key's own algorithm, the {@code at+jwt} type, then the claims.
     */
    static JWTClaimsSet verifyWithJwks(String token) throws Exception {
        Http.Answer jwks = http.get("/oauth2/jwks");
        assertThat(jwks.status()).isEqualTo(200);
        JWKSet set = JWKSet.parse(jwks.response().body());
        assertThat(set.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        JWK key = set.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the key the token names is published").isNotNull();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(key.getAlgorithm().getName());
        JWSVerifier verifier = switch (key.getKeyType().getValue()) {
            case "OKP" -> new Ed25519Verifier(key.toOctetKeyPair());
            case "EC" -> new ECDSAVerifier(key.toECKey());
            case "RSA" -> new RSASSAVerifier(key.toRSAKey());
            default -> throw new AssertionError("unexpected key type " + key.getKeyType());
        };
        assertThat(jwt.verify(verifier)).as("signature against the JWKS").isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        new DefaultJWTClaimsVerifier<SecurityContext>(new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of("sub", "aud", "client_id", "scope", "iat", "exp", "jti", "sid")).verify(claims, null);
        return claims;
    }

    @Test
    @Order(1)
    void aliceLogsInAndTheJwtVerifiesAgainstTheJwks() throws Exception {
        Http.Answer answer = login("alice", "alice-secret");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.header("Pragma")).isEqualTo("no-cache");
        assertThat(answer.text("token_type")).isEqualTo("Bearer");
        assertThat(answer.json().get("expires_in").asLong()).isEqualTo(300);
        assertThat(answer.text("scope")).isEqualTo("read");
        String refresh = answer.text("refresh_token");
        assertThat(refresh).hasSize(43);

        JWTClaimsSet claims = verifyWithJwks(answer.text("access_token"));
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly("mobile");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(CLIENT);
        assertThat(claims.getStringClaim("scope")).isEqualTo("read");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(300_000);
        String sid = claims.getStringClaim("sid");

        try (Jedis jedis = STACK.redis().jedis()) {
            Map<String, String> family = jedis.hgetAll(RedisKeys.family(sid));
            assertThat(family).containsEntry("user", "alice").containsEntry("client", CLIENT)
                    .containsEntry("generation", "0").containsEntry("hash", Hashes.sha256(refresh))
                    .containsEntry("subscriptionId", DemoRegistry.SUBSCRIPTION_ID).containsEntry("planId", "basic");
            assertThat(jedis.get(RedisKeys.refreshHash(Hashes.sha256(refresh)))).isEqualTo(sid + " 0");
            assertThat(jedis.zrange(RedisKeys.families("alice", CLIENT), 0, -1)).containsExactly(sid);
        }
        LoginSucceeded event = awaitEvent(Topics.AUTH_EVENTS, LoginSucceeded.class, e -> e.familyId().equals(sid));
        assertThat(event.userId()).isEqualTo("alice");
        assertThat(event.refreshTokenHash()).isEqualTo(Hashes.sha256(refresh));
        assertThat(event.jti()).isEqualTo(claims.getJWTID());
        assertThat(event.subscriptionId()).isEqualTo(DemoRegistry.SUBSCRIPTION_ID);
    }

    @Test
    @Order(2)
    void refreshRotatesAndReuseRevokesTheFamily() throws Exception {
        Http.Answer first = login("bob", "bob-secret");
        String r0 = first.text("refresh_token");
        Http.Answer second = refresh(r0);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("Cache-Control")).isEqualTo("no-store");
        String r1 = second.text("refresh_token");
        assertThat(r1).isNotEqualTo(r0).hasSize(43);
        JWTClaimsSet claims = verifyWithJwks(second.text("access_token"));
        String sid = claims.getStringClaim("sid");
        assertThat(claims.getSubject()).isEqualTo("bob");
        TokenRefreshed refreshed = awaitEvent(Topics.AUTH_EVENTS, TokenRefreshed.class, e -> e.familyId().equals(sid));
        assertThat(refreshed.generation()).isEqualTo(1);
        assertThat(refreshed.refreshTokenHash()).isEqualTo(Hashes.sha256(r1));

        Http.Answer reused = refresh(r0);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.text("error")).isEqualTo("invalid_grant");
        // the whole family is dead, including the token that was current
        assertThat(refresh(r1).text("error")).isEqualTo("invalid_grant");
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.revokedFamily(sid))).isTrue();
        }
        awaitEvent(Topics.AUTH_EVENTS, RefreshReused.class, e -> e.familyId().equals(sid) && e.userId().equals("bob"));
        awaitEvent(Topics.REVOCATIONS, Revocation.class,
                e -> e.kind() == Revocation.Kind.FAMILY && sid.equals(e.familyId()));
        assertThat(introspect(second.text("access_token")).json().get("active").asBoolean()).isFalse();
    }

    @Test
    @Order(99) // last but the secret scan: its thousands of events and connections do not slow the other checks
    void concurrentRefreshesOfOneTokenHaveExactlyOneWinner() throws Exception {
        // 1,000 trials (-Dtollgate.race.trials): in trial i, 2 + i % 7 clients present the same current refresh
        // token at once; four trials run side by side. Exactly one rotates; the others are reuse (400
        // invalid_grant) and revoke the family, so the winner's new refresh token must be refused too.
        int trials = Integer.getInteger("tollgate.race.trials", 1_000);
        int side = 4;
        Http quiet = http.unrecorded(); // thousands of tokens: the secret scan of the last test skips these
        ExecutorService trialPool = Executors.newFixedThreadPool(side);
        ExecutorService racers = Executors.newFixedThreadPool(side * 8);
        Map<Integer, Integer> trialsBySize = new java.util.TreeMap<>();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        try {
            List<Future<?>> lanes = new ArrayList<>();
            for (int lane = 0; lane < side; lane++) {
                lanes.add(trialPool.submit(() -> {
                    int trial;
                    while ((trial = next.getAndIncrement()) < trials) {
                        int size = 2 + trial % 7;
                        String user = trial % 2 == 0 ? "erin" : "alice";
                        Http.Answer login = quiet.postForm("/oauth2/token", params("grant_type", "password",
                                "client_id", CLIENT, "username", user, "password", user + "-secret"));
                        if (login.status() != 200) {
                            failures.add("trial " + trial + ": login " + login.status());
                            continue;
                        }
                        String token = login.text("refresh_token");
                        CountDownLatch start = new CountDownLatch(1);
                        List<Future<Http.Answer>> results = new ArrayList<>();
                        for (int t = 0; t < size; t++) {
                            results.add(racers.submit(() -> {
                                start.await();
                                return quiet.postForm("/oauth2/token", params("grant_type", "refresh_token",
                                        "client_id", CLIENT, "refresh_token", token));
                            }));
                        }
                        start.countDown();
                        int winners = 0;
                        String rotated = null;
                        for (Future<Http.Answer> f : results) {
                            Http.Answer a = f.get();
                            if (a.status() == 200) {
                                winners++;
                                rotated = a.text("refresh_token");
                            } else if (a.status() != 400 || !"invalid_grant".equals(a.text("error"))) {
                                failures.add("trial " + trial + ": " + a.status() + " " + a.response().body());
                            }
                        }
                        if (winners != 1) {
                            failures.add("trial " + trial + " (" + size + " at once): " + winners + " winners");
                        } else if (quiet.postForm("/oauth2/token", params("grant_type", "refresh_token", "client_id",
                                CLIENT, "refresh_token", rotated)).status() != 400) {
                            failures.add("trial " + trial + ": the winner's token survived the losers' reuse");
                        }
                        synchronized (trialsBySize) {
                            trialsBySize.merge(size, 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> lane : lanes) {
                lane.get();
            }
        } finally {
            trialPool.shutdownNow();
            racers.shutdownNow();
        }
        System.out.printf("refresh races: %d trials (by size %s) in %d ms, %d failures%n", trials, trialsBySize,
                (System.nanoTime() - started) / 1_000_000, failures.size());
        assertThat(failures).as("trials without exactly one winner").isEmpty();
        assertThat(trialsBySize.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(trials);
    }

    @Test
    @Order(4)
    void repeatedFailuresLockTheUserAndSuccessResetsTheCount() {
        for (int i = 0; i < 3; i++) {
            assertThat(login("erin", "wrong-password-1").text("error")).isEqualTo("invalid_grant");
        }
        assertThat(login("erin", "erin-secret").status()).isEqualTo(200);
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.userFailures("erin"))).isFalse();
        }

        String description = null;
        for (int i = 0; i < 5; i++) {
            Http.Answer a = login("bob", "wrong-password-1");
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.text("error")).isEqualTo("invalid_grant");
            description = a.text("error_description");
        }
        Http.Answer locked = login("bob", "bob-secret");
        assertThat(locked.status()).isEqualTo(400);
        assertThat(locked.text("error")).isEqualTo("invalid_grant");
        assertThat(locked.text("error_description")).isEqualTo(description);
        assertThat(login("nobody-such", "wrong-password-1").text("error_description")).isEqualTo(description);
        LoginLocked event = awaitEvent(Topics.AUTH_EVENTS, LoginLocked.class,
                e -> e.userId().equals("bob") && e.scope() == LoginLocked.Scope.USER);
        assertThat(event.lockedUntil()).isAfter(Instant.now().plusSeconds(30));
        awaitEvent(Topics.AUTH_EVENTS, LoginFailed.class,
                e -> e.userId().equals("bob") && e.reason() == LoginFailed.Reason.INVALID_CREDENTIALS);
        // another user from the same address is not locked out by bob's lockout
        assertThat(login("alice", "alice-secret").status()).isEqualTo(200);
    }

    /**
     * Spellings of alice. The directory (case-insensitive uid, outer spaces ignored) resolves
     * {@code Alice} and {@code " alice"} to alice's entry; fullwidth {@code ａｌｉｃｅ} and {@code "alice\u00a0"} (no-break
     * space) it does not know. None gets a failure counter of its own, none escapes alice's lockout, the resolved ones
     * log in as {@code alice} and meet her denial, the others never get a token.
     */
    @Test
    @Order(5)
    void spellingsOfAliceShareHerLockoutCounterAndHerDenial() throws Exception {
        List<String> resolved = List.of("Alice", " alice");
        List<String> unknown = List.of("\uff41\uff4c\uff49\uff43\uff45", "alice\u00a0");
        List<String> all = new ArrayList<>(resolved);
        all.addAll(unknown);
        for (String spelling : all) {
            assertThat(login(spelling, "wrong-password-1").text("error")).isEqualTo("invalid_grant");
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.keys(RedisKeys.userFailures("*"))).containsExactly(RedisKeys.userFailures("alice"));
            assertThat(jedis.get(RedisKeys.userFailures("alice"))).isEqualTo("4");
        }
        assertThat(login("alice", "wrong-password-1").text("error")).isEqualTo("invalid_grant"); // the fifth
        awaitEvent(Topics.AUTH_EVENTS, LoginLocked.class,
                e -> e.userId().equals("alice") && e.scope() == LoginLocked.Scope.USER);
        for (String spelling : all) {
            Http.Answer locked = login(spelling, "alice-secret");
            assertThat(locked.status()).as(spelling).isEqualTo(400);
            assertThat(locked.text("access_token")).as(spelling).isNull();
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            jedis.del(RedisKeys.userFailures("alice"), RedisKeys.userLock("alice"),
                    RedisKeys.ipFailures("127.0.0.1"), RedisKeys.ipLock("127.0.0.1"));
        }
        List<String> tokens = new ArrayList<>();
        for (String spelling : resolved) {
            Http.Answer ok = login(spelling, "alice-secret");
            assertThat(ok.status()).as(spelling).isEqualTo(200);
            assertThat(verifyWithJwks(ok.text("access_token")).getSubject()).as(spelling).isEqualTo("alice");
            tokens.add(ok.text("access_token"));
        }
        // an operator who types another spelling revokes alice, not a user of that name
        assertThat(http.post("/admin/users/ALICE/revoke", "application/json", "{\"reason\":\"spelling\"}".getBytes(),
                "Authorization", Http.basic("ops", "ops-secret")).status()).isEqualTo(204);
        for (String token : tokens) {
            assertThat(introspect(token).json().get("active").asBoolean()).isFalse();
        }
        awaitEvent(Topics.REVOCATIONS, Revocation.class,
                r -> "alice".equals(r.userId()) && "spelling".equals(r.reason()));
        for (String spelling : unknown) {
            Http.Answer refused = login(spelling, "alice-secret");
            assertThat(refused.status()).as(spelling).isEqualTo(400);
            assertThat(refused.text("access_token")).as(spelling).isNull();
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            // the unknown spellings' failures counted as alice's, as her own typos would
            assertThat(jedis.keys(RedisKeys.userFailures("*"))).containsExactly(RedisKeys.userFailures("alice"));
            jedis.del(RedisKeys.userFailures("alice"));
            jedis.hset(RedisKeys.decision("alice"), Map.of("outcome", "DENY", "policy", "license", "reason",
                    "expired", "decidedAt", Long.toString(Instant.now().getEpochSecond())));
        }
        for (String spelling : resolved) {
            Http.Answer denied = login(spelling, "alice-secret");
            assertThat(denied.text("error")).as(spelling).isEqualTo("invalid_grant");
            assertThat(denied.text("error_description")).as(spelling).contains("denied");
        }
    }

    @Test
    @Order(5)
    void oneAddressTripsItsOwnLimitBeforeLockingOutManyUsers() {
        for (int i = 0; i < 10; i++) {
            assertThat(login("probe" + i, "wrong-password-1").text("error")).isEqualTo("invalid_grant");
        }
        assertThat(login("alice", "alice-secret").text("error")).isEqualTo("invalid_grant");
        awaitEvent(Topics.AUTH_EVENTS, LoginLocked.class, e -> e.scope() == LoginLocked.Scope.IP);
        try (Jedis jedis = STACK.redis().jedis()) {
            // no user got near a lockout of their own
            assertThat(jedis.keys("tg:lock:user:*")).isEmpty();
        }
    }

    @Test
    @Order(5)
    void staleRefreshTokensFromPhonesBehindOneAddressDoNotLockItOut() {
        // Carrier-grade NAT: many phones share one address, and phones come back with expired refresh tokens.
        for (int i = 0; i < 30; i++) {
            Http.Answer stale = refresh(io.tollgate.shared.crypto.RandomTokens.generate(256));
            assertThat(stale.status()).isEqualTo(400);
            assertThat(stale.text("error")).isEqualTo("invalid_grant");
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.ipFailures("127.0.0.1"))).isFalse();
            assertThat(jedis.exists(RedisKeys.ipLock("127.0.0.1"))).isFalse();
        }
        Http.Answer alice = login("alice", "alice-secret");
        assertThat(alice.status()).isEqualTo(200);
        assertThat(refresh(alice.text("refresh_token")).status()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void carolIsNotEntitledAndADenyDecisionRefusesAlice() {
        Http.Answer carol = login("carol", "carol-secret");
        assertThat(carol.status()).isEqualTo(400);
        assertThat(carol.text("error")).isEqualTo("invalid_grant");
        assertThat(carol.text("error_description")).contains("not entitled");
        awaitEvent(Topics.AUTH_EVENTS, LoginFailed.class,
                e -> e.userId().equals("carol") && e.reason() == LoginFailed.Reason.NOT_ENTITLED);

        String aliceRefresh = login("alice", "alice-secret").text("refresh_token");
        try (Jedis jedis = STACK.redis().jedis()) {
            jedis.hset(RedisKeys.decision("alice"), Map.of("outcome", "DENY", "policy", "license", "reason", "expired",
                    "decidedAt", Long.toString(Instant.now().getEpochSecond())));
        }
        Http.Answer denied = login("alice", "alice-secret");
        assertThat(denied.text("error")).isEqualTo("invalid_grant");
        assertThat(denied.text("error_description")).contains("denied");
        assertThat(refresh(aliceRefresh).text("error")).isEqualTo("invalid_grant");
    }

    @Test
    @Order(7)
    void scopesAreIntersectedWithThePlan() {
        Http.Answer widened = http.postForm("/oauth2/token", params("grant_type", "password", "client_id", CLIENT,
                "username", "alice", "password", "alice-secret", "scope", "read write admin"));
        assertThat(widened.status()).isEqualTo(200);
        assertThat(widened.text("scope")).isEqualTo("read");
        Http.Answer none = http.postForm("/oauth2/token", params("grant_type", "password", "client_id", CLIENT,
                "username", "alice", "password", "alice-secret", "scope", "write"));
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.text("error")).isEqualTo("invalid_scope");
    }

    @Test
    @Order(8)
    void badInputGetsOAuthErrorsNeverA5xx() {
        byte[] ok = Http.form(params("grant_type", "password", "client_id", CLIENT, "username", "alice", "password",
                "alice-secret")).getBytes(StandardCharsets.UTF_8);
        List<Object[]> cases = List.of(
                new Object[] {http.post("/oauth2/token", "application/json", "{\"grant_type\":\"password\"}".getBytes()), 400, "invalid_request"},
                new Object[] {http.post("/oauth2/token", null, ok), 400, "invalid_request"},
                new Object[] {http.post("/oauth2/token", "text/plain", ok), 400, "invalid_request"},
                new Object[] {http.post("/oauth2/token", "application/x-www-form-urlencoded; charset=ISO-8859-1", ok), 400, "invalid_request"},
                new Object[] {http.post("/oauth2/token", "application/x-www-form-urlencoded",
                        "grant_type=password&grant_type=password&client_id=demo-mobile&username=alice&password=x".getBytes()), 400, "invalid_request"},
                new Object[] {http.post("/oauth2/token", "application/x-www-form-urlencoded",
                        ("grant_type=password&client_id=demo-mobile&username=alice&password=" + "a".repeat(20_000)).getBytes()), 400, "invalid_request"},
                new Object[] {http.post("/oauth2/token", "application/x-www-form-urlencoded",
                        "grant_type=password&client_id=demo-mobile&username=%FF%FE&password=x".getBytes()), 400, "invalid_request"},
                new Object[] {http.post("/oauth2/token", "application/x-www-form-urlencoded",
                        "grant_type=password&client_id=demo-mobile&username=%G1&password=x".getBytes()), 400, "invalid_request"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "password", "client_id", CLIENT, "username", "alice")), 400, "invalid_request"},
                new Object[] {http.postForm("/oauth2/token", params("client_id", CLIENT)), 400, "invalid_request"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "password", "username", "alice", "password", "x")), 400, "invalid_request"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "client_credentials", "client_id", CLIENT)), 400, "unauthorized_client"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "authorization_code", "client_id", CLIENT, "code", "x")), 400, "invalid_request"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "refresh_token", "client_id", CLIENT)), 400, "invalid_request"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "refresh_token", "client_id", CLIENT, "refresh_token", "not-a-token")), 400, "invalid_grant"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "password", "client_id", "no-such-client", "username", "alice", "password", "alice-secret")), 401, "invalid_client"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "password", "client_id", CLIENT, "client_secret", "guess", "username", "alice", "password", "alice-secret")), 401, "invalid_client"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "password", "client_id", CLIENT, "username", "alice", "password", "alice-secret", "scope", "read\\x")), 400, "invalid_scope"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "password", "username", "alice", "password", "alice-secret"), "Authorization", "Bearer abc"), 401, "invalid_client"},
                new Object[] {http.postForm("/oauth2/token", params("grant_type", "password", "username", "alice", "password", "alice-secret"), "Authorization", "Basic %%%"), 401, "invalid_client"},
                new Object[] {http.postForm("/oauth2/revoke", params("client_id", CLIENT)), 400, "invalid_request"},
                new Object[] {http.post("/oauth2/revoke", "application/json", "{}".getBytes()), 400, "invalid_request"},
                new Object[] {http.postForm("/oauth2/introspect", params(), "Authorization",
                        Http.basic("gateway", "gateway-secret")), 400, "invalid_request"});
        for (Object[] c : cases) {
            Http.Answer a = (Http.Answer) c[0];
            assertThat(a.status()).as(a.response().request().toString() + " " + a.response().body()).isEqualTo(c[1]);
            assertThat(a.text("error")).as(a.response().body()).isEqualTo(c[2]);
            assertThat(a.header("Cache-Control")).isEqualTo("no-store");
            assertThat(a.header("Content-Type")).startsWith("application/json");
            assertThat(a.response().body()).doesNotContain("Exception").doesNotContain("at io.");
        }
        Http.Answer basicUnknown = http.postForm("/oauth2/token", params("grant_type", "password", "username", "alice",
                "password", "alice-secret"), "Authorization", Http.basic("no-such-client", "x"));
        assertThat(basicUnknown.status()).isEqualTo(401);
        assertThat(basicUnknown.header("WWW-Authenticate")).startsWith("Basic");
        Http.Answer postUnknown = http.postForm("/oauth2/token", params("grant_type", "password", "client_id",
                "no-such-client", "username", "alice", "password", "alice-secret"));
        assertThat(postUnknown.header("WWW-Authenticate")).isNull();
        Http.Answer get = http.get("/oauth2/token");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.text("error")).isNotNull();
        // a public client has no secret, so Basic with any secret is invalid_client
        Http.Answer publicBasic = http.postForm("/oauth2/token", params("grant_type", "password", "username", "alice",
                "password", "alice-secret"), "Authorization", Http.basic(CLIENT, "x"));
        assertThat(publicBasic.status()).isEqualTo(401);
    }

    @Test
    @Order(9)
    void revocationIntrospectionMetadataAndJwks() throws Exception {
        Http.Answer meta = http.get("/.well-known/oauth-authorization-server");
        assertThat(meta.status()).isEqualTo(200);
        assertThat(meta.text("issuer")).isEqualTo(ISSUER);
        assertThat(meta.text("token_endpoint")).isEqualTo(ISSUER + "/oauth2/token");
        assertThat(meta.text("jwks_uri")).isEqualTo(ISSUER + "/oauth2/jwks");
        assertThat(meta.json().get("grant_types_supported").toString()).contains("password", "refresh_token");

        Http.Answer unauthenticated = http.postForm("/oauth2/introspect", params("token", "x"));
        assertThat(unauthenticated.status()).isEqualTo(401);
        assertThat(unauthenticated.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(http.postForm("/oauth2/introspect", params("token", "x"), "Authorization",
                Http.basic("gateway", "wrong")).status()).isEqualTo(401);

        Http.Answer login = login("alice", "alice-secret");
        String access = login.text("access_token");
        String refresh = login.text("refresh_token");
        Http.Answer active = introspect(access);
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.json().get("active").asBoolean()).isTrue();
        assertThat(active.text("username")).isEqualTo("alice");
        assertThat(active.text("client_id")).isEqualTo(CLIENT);
        assertThat(active.text("scope")).isEqualTo("read");
        assertThat(introspect(refresh).json().get("active").asBoolean()).isTrue();
        assertThat(introspect("garbage").json().get("active").asBoolean()).isFalse();

        String jti = verifyWithJwks(access).getJWTID();
        // another client cannot revoke this client's tokens: 200 (RFC 7009 reveals nothing), no effect
        assertThat(http.postForm("/oauth2/revoke", params("token", access), "Authorization",
                Http.basic("conf-client", CONFIDENTIAL_SECRET)).status()).isEqualTo(200);
        assertThat(http.postForm("/oauth2/revoke", params("token", refresh), "Authorization",
                Http.basic("conf-client", CONFIDENTIAL_SECRET)).status()).isEqualTo(200);
        assertThat(introspect(access).json().get("active").asBoolean()).isTrue();
        assertThat(introspect(refresh).json().get("active").asBoolean()).isTrue();
        // a wrong secret is invalid_client at the revocation endpoint too
        assertThat(http.postForm("/oauth2/revoke", params("token", access), "Authorization",
                Http.basic("conf-client", "guess")).status()).isEqualTo(401);
        Http.Answer revoke = http.postForm("/oauth2/revoke", params("token", access, "client_id", CLIENT));
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(introspect(access).json().get("active").asBoolean()).isFalse();
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.revokedJti(jti))).isTrue();
            assertThat(jedis.ttl(RedisKeys.revokedJti(jti))).isGreaterThan(Duration.ofDays(29).toSeconds());
        }
        awaitEvent(Topics.REVOCATIONS, Revocation.class, e -> jti.equals(e.jti()) && e.kind() == Revocation.Kind.TOKEN);
        awaitEvent(Topics.AUTH_EVENTS, TokenRevoked.class, e -> jti.equals(e.target()));

        assertThat(http.postForm("/oauth2/revoke", params("token", refresh, "client_id", CLIENT,
                "token_type_hint", "refresh_token")).status()).isEqualTo(200);
        assertThat(refresh(refresh).text("error")).isEqualTo("invalid_grant");
        assertThat(introspect(refresh).json().get("active").asBoolean()).isFalse();
        assertThat(http.postForm("/oauth2/revoke", params("token", "unknown-token", "client_id", CLIENT)).status())
                .isEqualTo(200);
    }

    @Test
    @Order(10)
    void operatorApiRevokesUsersAndClients() throws Exception {
        Instant started = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        String before = login("bob", "bob-secret").text("access_token");
        Http.Answer none = http.post("/admin/users/bob/revoke", "application/json", new byte[0]);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(http.post("/admin/users/bob/revoke", "application/json", new byte[0], "Authorization",
                Http.basic("ops", "wrong")).status()).isEqualTo(401);
        assertThat(http.post("/admin/users/bob/revoke", "application/json", "{not json".getBytes(),
                "Authorization", Http.basic("ops", "ops-secret")).status()).isEqualTo(400);

        Http.Answer revoked = http.post("/admin/users/bob/revoke", "application/json",
                "{\"reason\":\"lost phone\"}".getBytes(), "Authorization", Http.basic("ops", "ops-secret"));
        assertThat(revoked.status()).isEqualTo(204);
        long now = Instant.now().getEpochSecond();
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(Long.parseLong(jedis.get(RedisKeys.userNotBefore("bob")))).isBetween(now - 2, now);
        }
        assertThat(introspect(before).json().get("active").asBoolean()).isFalse();
        // this test's revocation: the broker is shared with the fuzzers, which revoke bob too
        Revocation revocation = awaitEvent(Topics.REVOCATIONS, Revocation.class,
                e -> e.kind() == Revocation.Kind.USER && "bob".equals(e.userId()) && !e.notBefore().isBefore(started));
        assertThat(revocation.actor()).isEqualTo("ops");
        assertThat(revocation.reason()).isEqualTo("lost phone");
        assertThat(revocation.expiresAt()).isAfter(revocation.notBefore().plus(Duration.ofDays(29)));
        awaitEvent(Topics.AUTH_EVENTS, TokenRevoked.class, e -> "bob".equals(e.target()) && "ops".equals(e.actor()));

        // a login a second later works
        Thread.sleep(1000 - Instant.now().toEpochMilli() % 1000 + 50);
        String after = login("bob", "bob-secret").text("access_token");
        assertThat(introspect(after).json().get("active").asBoolean()).isTrue();

        Http.Answer client = http.post("/admin/clients/" + CLIENT + "/revoke", "application/json", new byte[0],
                "Authorization", Http.basic("ops", "ops-secret"));
        assertThat(client.status()).isEqualTo(204);
        assertThat(introspect(after).json().get("active").asBoolean()).isFalse();
        awaitEvent(Topics.REVOCATIONS, Revocation.class,
                e -> e.kind() == Revocation.Kind.CLIENT && CLIENT.equals(e.clientId()));
    }

    /**
     * A refused request whose body arrives after its headers (clients send them in separate writes) is answered
     * after the body is read, on a connection that stays open: answered before, the unread body made Jetty close
     * the keep-alive connection after the answer without a {@code Connection: close}, and the client's next
     * request on it read nothing ("header parser received no bytes" in this suite on a loaded machine).
     */
    @Test
    @Order(8)
    void aRefusedRequestLeavesItsKeepAliveConnectionUsable() throws Exception {
        String[][] refused = {
            {"/oauth2/token", "application/json", "{\"grant_type\":\"password\"}", "400"},
            {"/oauth2/revoke", "text/plain", "token=abc", "400"},
            {"/oauth2/introspect", "application/x-www-form-urlencoded", "token=abc", "401"},
            {"/admin/users/nobody-kept-alive/revoke", "application/json", "{\"reason\":\"x\"}", "401"},
            {"/portal/api/apps", "application/json", "{\"name\":\"x\",\"type\":\"public\"}", "401"},
            {"/portal/api/apps/demo-mobile/secret", "application/json", "{}", "401"},
            {"/no/such/path", "application/json", "{}", "404"}};
        for (String[] r : refused) {
            byte[] body = r[2].getBytes(StandardCharsets.US_ASCII);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", STACK.port())) {
                socket.setSoTimeout(10_000);
                var out = socket.getOutputStream();
                var in = new java.io.BufferedInputStream(socket.getInputStream());
                out.write(("POST " + r[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + r[1]
                        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(300); // the server has the headers alone
                out.write(body);
                out.flush();
                assertThat(readResponse(in)).as(r[0]).startsWith("HTTP/1.1 " + r[3]).doesNotContainIgnoringCase(
                        "connection: close");
                out.write(("GET /oauth2/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(readResponse(in)).as("next request on the connection after " + r[0])
                        .startsWith("HTTP/1.1 200");
            }
        }
    }

    /** One HTTP/1.1 response with a Content-Length body: its head and body as text. */
    private static String readResponse(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n")) {
            c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("connection closed after: " + head);
            }
            head.append((char) c);
        }
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        if (head.toString().toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            while (true) {
                StringBuilder size = new StringBuilder();
                while (!size.toString().endsWith("\r\n")) {
                    size.append((char) in.read());
                }
                int n = Integer.parseInt(size.toString().trim().split(";")[0], 16);
                body.write(in.readNBytes(n));
                in.readNBytes(2);
                if (n == 0) {
                    break;
                }
            }
        } else {
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                    .matcher(head);
            body.write(in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0));
        }
        return head + body.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Order(8)
    void wrongOperatorPasswordsLockTheAddressWithoutLockingOutAVerifiedOperator() {
        String path = "/admin/users/nobody-locked/revoke";
        byte[] body = "{\"reason\":\"lockout test\"}".getBytes();
        String marker = "guess-" + UUID.randomUUID();
        for (int i = 0; i < 9; i++) {
            assertThat(http.post(path, "application/json", body, "Authorization", Http.basic("ops", marker + i))
                    .status()).isEqualTo(401);
        }
        assertThat(http.post(path, "application/json", body, "Authorization", Http.basic(marker, "ops-secret"))
                .status()).isEqualTo(401); // a name that is no account: maybe a password in the wrong field
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.accountIpLock("127.0.0.1"))).isTrue();
            // counted apart from the logins: the phones behind this address are not locked out of their logins
            assertThat(jedis.exists(RedisKeys.ipLock("127.0.0.1"), RedisKeys.ipFailures("127.0.0.1"))).isZero();
        }
        assertThat(login("alice", "alice-secret").status()).isEqualTo(200);
        // locked: no password is checked (so none hashed, none counted) for this address now; the operator's own
        // password may already be remembered by an earlier test, which passes at no cost (see the end of this test)
        String counted;
        try (Jedis jedis = STACK.redis().jedis()) {
            counted = jedis.get(RedisKeys.accountIpFailures("127.0.0.1"));
        }
        assertThat(http.post(path, "application/json", body, "Authorization", Http.basic("ops", marker + "-locked"))
                .status()).isEqualTo(401);
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.get(RedisKeys.accountIpFailures("127.0.0.1"))).isEqualTo(counted);
        }
        // the resource server's password verified earlier (refresh test): it keeps introspecting
        assertThat(introspect("x").status()).isEqualTo(200);
        // every wrong password is on the audit stream, with the account (or "-") and the address, never a password
        List<LoginFailed> audited = STACK.kafka().readUntil(Topics.AUTH_EVENTS, records -> records.stream()
                        .filter(r -> r.value().data() instanceof LoginFailed f && "operator".equals(f.grantType()))
                        .count() >= 10, Duration.ofSeconds(30)).stream()
                .filter(r -> r.value().data() instanceof LoginFailed f && "operator".equals(f.grantType()))
                .map(r -> (LoginFailed) r.value().data()).toList();
        assertThat(audited).hasSizeGreaterThanOrEqualTo(10).allSatisfy(f -> {
            assertThat(f.ip()).isEqualTo("127.0.0.1");
            assertThat(f.reason()).isEqualTo(LoginFailed.Reason.INVALID_CREDENTIALS);
            assertThat(f.clientId()).isNull();
        });
        assertThat(audited).extracting(LoginFailed::userId).contains("ops", "-").doesNotContain(marker)
                .allSatisfy(u -> assertThat(u).isIn("ops", "-"));

        STACK.resetRedis();
        assertThat(http.post(path, "application/json", body, "Authorization", Http.basic("ops", "ops-secret"))
                .status()).isEqualTo(204);
        for (int i = 0; i < 10; i++) {
            http.post(path, "application/json", body, "Authorization", Http.basic("ops", "guess-" + i));
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.accountIpLock("127.0.0.1"))).isTrue();
        }
        // an attacker sharing the operator's address does not lock out the operator whose password verified
        assertThat(http.post(path, "application/json", body, "Authorization", Http.basic("ops", "ops-secret"))
                .status()).isEqualTo(204);
    }

    @Test
    @Order(11)
    void confidentialClientsAuthenticateWithBasicPlainOrFormEncodedOrPost() {
        Map<String, String> grant = params("grant_type", "password", "username", "alice", "password", "alice-secret");
        Http.Answer plain = http.postForm("/oauth2/token", grant, "Authorization",
                Http.basic("conf-client", CONFIDENTIAL_SECRET));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.text("scope")).isEqualTo("read write");
        Http.Answer encoded = http.postForm("/oauth2/token", grant, "Authorization",
                Http.basic("conf-client", "s3cret%2B%2F%3Ax"));
        assertThat(encoded.status()).isEqualTo(200);
        Map<String, String> post = new java.util.LinkedHashMap<>(grant);
        post.put("client_id", "conf-client");
        post.put("client_secret", CONFIDENTIAL_SECRET);
        assertThat(http.postForm("/oauth2/token", post).status()).isEqualTo(200);

        Http.Answer wrongBasic = http.postForm("/oauth2/token", grant, "Authorization",
                Http.basic("conf-client", "guess"));
        assertThat(wrongBasic.status()).isEqualTo(401);
        assertThat(wrongBasic.text("error")).isEqualTo("invalid_client");
        assertThat(wrongBasic.header("WWW-Authenticate")).startsWith("Basic");
        post.put("client_secret", "guess");
        Http.Answer wrongPost = http.postForm("/oauth2/token", post);
        assertThat(wrongPost.status()).isEqualTo(401);
        assertThat(wrongPost.header("WWW-Authenticate")).isNull();
        post.remove("client_secret");
        assertThat(http.postForm("/oauth2/token", post).status()).isEqualTo(401);
    }

    @Test
    @Order(12)
    void aStandardOAuthClientLibraryWorksAgainstTheServer() throws Exception {
        AuthorizationServerMetadata meta = AuthorizationServerMetadata.resolve(new Issuer(ISSUER));
        assertThat(meta.getTokenEndpointURI()).isEqualTo(URI.create(ISSUER + "/oauth2/token"));

        TokenResponse login = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientID(CLIENT),
                new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-secret")), new Scope("read"))
                .toHTTPRequest().send());
        assertThat(login.indicatesSuccess()).isTrue();
        Tokens tokens = login.toSuccessResponse().getTokens();
        Http.SEEN_TOKENS.add(tokens.getAccessToken().getValue());
        Http.SEEN_TOKENS.add(tokens.getRefreshToken().getValue());
        assertThat(tokens.getAccessToken().getScope()).isEqualTo(new Scope("read"));
        assertThat(tokens.getAccessToken().getLifetime()).isEqualTo(300);

        TokenResponse refreshed = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(),
                new ClientID(CLIENT), new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send());
        assertThat(refreshed.indicatesSuccess()).isTrue();
        Tokens rotated = refreshed.toSuccessResponse().getTokens();
        Http.SEEN_TOKENS.add(rotated.getAccessToken().getValue());
        Http.SEEN_TOKENS.add(rotated.getRefreshToken().getValue());
        assertThat(rotated.getRefreshToken()).isNotEqualTo(tokens.getRefreshToken());

        TokenIntrospectionSuccessResponse introspection = TokenIntrospectionResponse.parse(
                new TokenIntrospectionRequest(meta.getIntrospectionEndpointURI(),
                        new ClientSecretBasic(new ClientID("gateway"), new Secret("gateway-secret")),
                        rotated.getAccessToken()).toHTTPRequest().send()).toSuccessResponse();
        assertThat(introspection.isActive()).isTrue();
        assertThat(introspection.getUsername()).isEqualTo("alice");
        assertThat(introspection.getClientID()).isEqualTo(new ClientID(CLIENT));

        assertThat(new TokenRevocationRequest(meta.getRevocationEndpointURI(), new ClientID(CLIENT),
                rotated.getRefreshToken()).toHTTPRequest().send().getStatusCode()).isEqualTo(200);
        TokenResponse dead = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientID(CLIENT),
                new RefreshTokenGrant(rotated.getRefreshToken())).toHTTPRequest().send());
        assertThat(dead.toErrorResponse().getErrorObject().getCode()).isEqualTo(OAuth2Error.INVALID_GRANT.getCode());

        // a confidential client through the library's client_secret_basic (form-encoded per RFC 6749 §2.3.1)
        TokenResponse confidential = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID("conf-client"), new Secret(CONFIDENTIAL_SECRET)),
                new ResourceOwnerPasswordCredentialsGrant("bob", new Secret("bob-secret")), null).toHTTPRequest().send());
        assertThat(confidential.indicatesSuccess()).isTrue();
        Tokens conf = confidential.toSuccessResponse().getTokens();
        Http.SEEN_TOKENS.add(conf.getAccessToken().getValue());
        Http.SEEN_TOKENS.add(conf.getRefreshToken().getValue());
        assertThat(conf.getAccessToken().getScope()).isEqualTo(new Scope("read", "write"));
    }

    @Test
    @Order(13)
    void aRefreshReChecksGroupMembershipInTheDirectory() throws Exception {
        String refresh = login("erin", "erin-secret").text("refresh_token");
        var group = "cn=mobile-users,ou=groups,dc=tollgate,dc=test";
        var member = "uid=erin,ou=people,dc=tollgate,dc=test";
        // over LDAP, as a directory administrator would: the directory carries the change to erin's memberOf
        try (var admin = STACK.ldap().directory().connect()) {
            admin.bind(io.tollgate.testkit.LdapDirectory.ADMIN_DN, io.tollgate.testkit.LdapDirectory.ADMIN_PASSWORD);
            admin.modify(group, new com.unboundid.ldap.sdk.Modification(
                    com.unboundid.ldap.sdk.ModificationType.DELETE, "member", member));
            try {
                Http.Answer refused = refresh(refresh);
                assertThat(refused.text("error")).isEqualTo("invalid_grant");
                assertThat(refused.text("error_description")).contains("no longer entitled");
            } finally {
                admin.modify(group, new com.unboundid.ldap.sdk.Modification(
                        com.unboundid.ldap.sdk.ModificationType.ADD, "member", member));
            }
        }
        assertThat(refresh(refresh).status()).isEqualTo(200);
    }

    @Test
    @Order(14)
    void healthChecksAndMetricsCoverTheDependenciesAndGrants() throws Exception {
        login("alice", "alice-secret");
        login("alice", "wrong-password-1");
        Http admin = new Http("http://127.0.0.1:" + STACK.app().getAdminPort());
        Http.Answer health = admin.get("/healthcheck");
        assertThat(health.status()).as(health.response().body()).isEqualTo(200);
        for (String check : List.of("kafka", "redis", "identity-provider", "registry")) {
            assertThat(health.json().path(check).path("healthy").asBoolean()).as(check).isTrue();
        }
        // Outcomes and grant types are labels; latencies are histograms (cumulative buckets add up across nodes).
        String success = "tollgate_token_requests_total{grant_type=\"password\",outcome=\"success\"}";
        assertThat(prometheusValue(admin, success)).isPositive();
        assertThat(prometheusValue(admin,
                "tollgate_token_requests_total{grant_type=\"password\",outcome=\"invalid_grant\"}")).isPositive();
        assertThat(prometheusValue(admin, "tollgate_lockouts_total{scope=\"user\"}")).isPositive();
        assertThat(prometheusValue(admin, "tollgate_idp_request_duration_seconds_count")).isPositive();

        // They move with the next grant, and its time lands in the password grant's histogram.
        String count = "tollgate_token_request_duration_seconds_count{grant_type=\"password\"}";
        double before = prometheusValue(admin, success);
        double timedBefore = prometheusValue(admin, count);
        login("alice", "alice-secret");
        assertThat(prometheusValue(admin, success)).isEqualTo(before + 1);
        assertThat(prometheusValue(admin, count)).isEqualTo(timedBefore + 1);
        assertThat(prometheusValue(admin,
                "tollgate_token_request_duration_seconds_bucket{grant_type=\"password\",le=\"+Inf\"}"))
                .isEqualTo(timedBefore + 1);
        assertThat(admin.get("/prometheus").response().body()).doesNotContain("tollgate_grants_")
                .doesNotContain("tollgate_token_request_duration_seconds{quantile");
    }

    private static double prometheusValue(Http admin, String name) {
        Http.Answer scrape = admin.get("/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        return scrape.response().body().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the Prometheus scrape"));
    }

    @Test
    @Order(15)
    void ldapFilterInjectionAndEmptyPasswordsGetNowhere() {
        for (String user : List.of("*", "alice)(uid=*", "alice*", "*)(|(objectClass=*")) {
            Http.Answer a = login(user, "alice-secret");
            assertThat(a.status()).as(user).isEqualTo(400);
            assertThat(a.text("error")).as(user).isEqualTo("invalid_grant");
        }
        // an empty password would be an anonymous bind, which LDAP servers accept: it counts as omitted
        Http.Answer empty = http.post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=password&client_id=demo-mobile&username=alice&password=".getBytes(StandardCharsets.UTF_8));
        assertThat(empty.text("error")).isEqualTo("invalid_request");
        Http.Answer blank = login("alice", " ");
        assertThat(blank.text("error")).isEqualTo("invalid_grant");
        // an all-space username is a 400, not a 500: its failure event must still be buildable
        // (TokenApiFuzzIT sends such names)
        for (String user : List.of(" ", "   ")) {
            Http.Answer spaces = login(user, "alice-secret");
            assertThat(spaces.status()).as("'%s'", user).isEqualTo(400);
            assertThat(spaces.text("error")).as("'%s'", user).isEqualTo("invalid_request");
        }
    }

    /**
     * Redis lost and restarted empty while revocation-stream rebuilds the projection: a valid refresh token whose
     * family is not back yet is answered 503, never invalid_grant, which would log the user out of the app for good.
     */
    @Test
    @Order(16)
    void whileTheProjectionIsBeingRebuiltTokenStateIs503AndNeverInvalidGrant() {
        Http.Answer alice = login("alice", "alice-secret");
        assertThat(alice.status()).isEqualTo(200);
        String refreshToken = alice.text("refresh_token");
        String accessToken = alice.text("access_token");
        // what the rebuild will bring back: every projected key (the family, its hash index, the family set)
        Map<String, byte[]> projected = new java.util.HashMap<>();
        try (Jedis jedis = STACK.redis().jedis()) {
            for (String key : jedis.keys("tg:*")) {
                if (!key.equals(RedisKeys.PROJECTION)) {
                    projected.put(key, jedis.dump(key));
                }
            }
        }
        assertThat(projected).containsKey(RedisKeys.refreshHash(Hashes.sha256(refreshToken)));

        STACK.redis().flushAll(); // Redis lost and restarted empty: no tg:projection, then the rebuild starts
        for (String state : new String[] {null, RedisKeys.PROJECTION_REBUILDING}) {
            if (state != null) {
                try (Jedis jedis = STACK.redis().jedis()) {
                    jedis.hset(RedisKeys.PROJECTION, Map.of(RedisKeys.PROJECTION_STATE_FIELD, state, "progress", "40"));
                }
            }
            Http.Answer refreshed = refresh(refreshToken);
            assertThat(refreshed.status()).as("refresh, projection " + state).isEqualTo(503);
            assertThat(refreshed.text("error")).isEqualTo("temporarily_unavailable");
            assertThat(refreshed.header("Retry-After")).isEqualTo("5");
            assertThat(refreshed.header("Cache-Control")).isEqualTo("no-store");
            // every other answer that rests on projected state waits as well, rather than trust an empty Redis
            Http.Answer login = login("alice", "alice-secret"); // her DENY decision may not be back yet
            assertThat(login.status()).as("login, projection " + state).isEqualTo(503);
            assertThat(login.text("error")).isEqualTo("temporarily_unavailable");
            assertThat(introspect(accessToken).status()).as("introspect access token").isEqualTo(503);
            assertThat(introspect(refreshToken).status()).as("introspect refresh token").isEqualTo(503);
            // RFC 7009 §2.2.1: on 503 the app keeps the token and retries; a 200 would drop the user's log-out
            assertThat(http.postForm("/oauth2/revoke", params("token", refreshToken, "client_id", CLIENT)).status())
                    .isEqualTo(503);
        }
        // the rebuild has brought the family back but is not finished (revocations may still be missing): 503
        try (Jedis jedis = STACK.redis().jedis()) {
            projected.forEach((key, value) -> jedis.restore(key, 0, value));
        }
        assertThat(refresh(refreshToken).status()).isEqualTo(503);

        TestApps.projectionReady(STACK.redis());
        // ready: the very same token rotates (the 503s rotated, revoked and counted nothing)
        Http.Answer rotated = refresh(refreshToken);
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(introspect(rotated.text("access_token")).json().get("active").asBoolean()).isTrue();
        // and on a ready projection a genuinely unknown refresh token is refused, as always
        String unknown = io.tollgate.shared.crypto.RandomTokens.generate(256);
        Http.Answer refused = refresh(unknown);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("error")).isEqualTo("invalid_grant");
        assertThat(introspect(unknown).json().get("active").asBoolean()).isFalse();
        assertThat(http.postForm("/oauth2/revoke", params("token", unknown, "client_id", CLIENT)).status())
                .isEqualTo(200);
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.ipFailures("127.0.0.1"))).isFalse();
            assertThat(jedis.exists(RedisKeys.userFailures("alice"))).isFalse();
        }
    }

    @Test
    @Order(90)
    void anIdentityProviderOutageIs503WithRetryAfterAndNoLockoutCount() {
        STACK.ldap().directory().suspend();
        try {
            for (int i = 0; i < 6; i++) {
                Http.Answer a = login("alice", "alice-secret");
                assertThat(a.status()).isEqualTo(503);
                assertThat(a.text("error")).isEqualTo("temporarily_unavailable");
                assertThat(a.header("Retry-After")).isEqualTo("5");
                assertThat(a.header("Cache-Control")).isEqualTo("no-store");
            }
            try (Jedis jedis = STACK.redis().jedis()) {
                assertThat(jedis.exists(RedisKeys.userFailures("alice"))).isFalse();
                assertThat(jedis.exists(RedisKeys.userLock("alice"))).isFalse();
            }
        } finally {
            STACK.ldap().directory().resume();
        }
    }

    @Test
    @Order(100)
    void noLogLineOrEventCarriesAPasswordOrARawToken() {
        assertThat(Http.SEEN_TOKENS).hasSizeGreaterThan(10);
        List<String> forbidden = new ArrayList<>(PASSWORDS);
        forbidden.addAll(Http.SEEN_TOKENS);
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : STACK.logs()) {
            lines.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                lines.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertThat(lines).anyMatch(l -> l.contains("event=login.succeeded"));
        for (Topic<String, Event<?>> topic : List.of(Topics.AUTH_EVENTS, Topics.REVOCATIONS)) {
            for (ConsumerRecord<String, Event<?>> r : STACK.kafka().readAll(topic, Duration.ofSeconds(2))) {
                lines.add(new String(EventCodec.encode(r.value()), StandardCharsets.UTF_8));
            }
        }
        assertThat(lines).anyMatch(l -> l.contains("tollgate.login.succeeded"));
        for (String line : lines) {
            for (String secret : forbidden) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }
}
