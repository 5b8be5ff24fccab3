package io.tollgate.tokenapi.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.ConfigOverride;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TestApps;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.tollgate.tokenapi.it.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * token-api with the HTTP identity provider (a real HTTP server standing in for a credential-check API),
 * a dedicated Kafka broker that is stopped mid-test, and a Redis server that is killed mid-test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResilienceIT {
    static final AtomicReference<String> IDP_MODE = new AtomicReference<>("ok");
    static final Map<String, String> USERS = Map.of("alice", "alice-secret", "carol", "carol-secret");
    /** Names this credential-check API also accepts for a user, answering with the user's canonical id. */
    static final Map<String, String> ALIASES = Map.of("alice@example.test", "alice",
            "\uff41\uff4c\uff49\uff43\uff45", "alice");
    static final HttpServer IDP = startIdp();

    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("resilience-it").dedicatedKafka(1).withoutLdap()
            .configFile("config/http-idp.yml")
            .config(ConfigOverride.config("identityProvider.url",
                            () -> "http://127.0.0.1:" + IDP.getAddress().getPort() + "/check"),
                    // a credential-check API only: no profile endpoint (HttpIdentityProviderIT covers one)
                    ConfigOverride.config("identityProvider.profileUrl", ""),
                    ConfigOverride.config("identityProvider.requestTimeout", "1s"))
            .cleanRedisBeforeEach()
            .build();

    static final Http HTTP = new Http(STACK.baseUrl());

    /** The admin connector (probes, health checks), once the stack runs. */
    static Http admin() {
        return new Http("http://127.0.0.1:" + STACK.app().getAdminPort());
    }

    /**
     * A credential-check API: {@code ok} checks USERS (and ALIASES, answering the canonical id), {@code error}
     * answers 500, {@code slow} outlasts the timeout, {@code nosub} accepts the password but names no user.
     */
    static HttpServer startIdp() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/check", exchange -> {
                try (exchange) {
                    JsonNode body = Http.JSON.readTree(exchange.getRequestBody());
                    String mode = IDP_MODE.get();
                    if (mode.equals("slow")) {
                        Thread.sleep(2_000);
                    }
                    String user = ALIASES.getOrDefault(body.path("username").asText(), body.path("username").asText());
                    String password = body.path("password").asText();
                    int status;
                    String answer = "";
                    if (mode.equals("error")) {
                        status = 500;
                    } else if (password.equals(USERS.get(user))) {
                        status = 200;
                        answer = "{" + (mode.equals("nosub") ? "" : "\"sub\":\"" + user + "\",") + "\"groups\":"
                                + (user.equals("carol") ? "[]" : "[\"mobile-users\"]") + "}";
                    } else {
                        status = 401;
                    }
                    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                    if (bytes.length > 0) {
                        exchange.getResponseBody().write(bytes);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopIdp() {
        IDP.stop(0);
    }

    @BeforeEach
    void reset() {
        IDP_MODE.set("ok");
    }

    static Http.Answer login(String user, String password) {
        return HTTP.postForm("/oauth2/token", params("grant_type", "password", "client_id", DemoRegistry.CLIENT_ID,
                "username", user, "password", password));
    }

    @Test
    @Order(1)
    void theHttpIdentityProviderDecidesCredentialsAndGroups() {
        Http.Answer alice = login("alice", "alice-secret");
        assertThat(alice.status()).isEqualTo(200);
        assertThat(alice.text("scope")).isEqualTo("read");
        Http.Answer wrong = login("alice", "nope");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text("error")).isEqualTo("invalid_grant");
        Http.Answer carol = login("carol", "carol-secret");
        assertThat(carol.text("error")).isEqualTo("invalid_grant");
        assertThat(carol.text("error_description")).contains("not entitled");
        // refresh works without asking the IdP again (a credential-check API cannot look users up)
        Http.Answer refreshed = HTTP.postForm("/oauth2/token", params("grant_type", "refresh_token",
                "client_id", DemoRegistry.CLIENT_ID, "refresh_token", alice.text("refresh_token")));
        assertThat(refreshed.status()).isEqualTo(200);
    }

    /** The provider's id is the subject; a 2xx that names nobody issues no token. */
    @Test
    @Order(2)
    void theProvidersCanonicalIdIsTheSubjectAndAnAnswerWithoutOneIssuesNoToken() throws Exception {
        Http.Answer alias = login("alice@example.test", "alice-secret");
        assertThat(alias.status()).isEqualTo(200);
        assertThat(com.nimbusds.jwt.SignedJWT.parse(alias.text("access_token")).getJWTClaimsSet().getSubject())
                .isEqualTo("alice");
        IDP_MODE.set("nosub");
        for (String name : List.of("alice", "alice@example.test")) {
            Http.Answer nameless = login(name, "alice-secret");
            assertThat(nameless.status()).as(name).isEqualTo(503);
            assertThat(nameless.text("error")).isEqualTo("temporarily_unavailable");
            assertThat(nameless.text("access_token")).isNull();
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.keys(RedisKeys.userFailures("*"))).isEmpty(); // the provider's fault, not the user's
        }
    }

    /** The HTTP provider names the user only after the password; alice's lockout still holds. */
    @Test
    @Order(2)
    void aLockoutOfTheCanonicalIdHoldsForEveryNameTheProviderAccepts() {
        for (int i = 0; i < 5; i++) {
            assertThat(login("alice", "wrong-password-1").text("error")).isEqualTo("invalid_grant");
        }
        for (String name : List.of("alice", "Alice", "alice@example.test", "\uff41\uff4c\uff49\uff43\uff45")) {
            Http.Answer locked = login(name, "alice-secret");
            assertThat(locked.status()).as(name).isEqualTo(400);
            assertThat(locked.text("error")).as(name).isEqualTo("invalid_grant");
            assertThat(locked.text("access_token")).as(name).isNull();
        }
    }

    @Test
    @Order(2)
    void anIdpErrorOrTimeoutIs503AndNeverALockoutCount() {
        for (String mode : List.of("error", "slow")) {
            IDP_MODE.set(mode);
            Http.Answer a = login("alice", "alice-secret");
            assertThat(a.status()).as(mode).isEqualTo(503);
            assertThat(a.text("error")).isEqualTo("temporarily_unavailable");
            assertThat(a.header("Retry-After")).isNotNull();
        }
        try (Jedis jedis = STACK.redis().jedis()) {
            assertThat(jedis.exists(RedisKeys.userFailures("alice"))).isFalse();
            assertThat(jedis.exists(RedisKeys.ipFailures("127.0.0.1"))).isFalse();
        }
    }

    @Test
    @Order(3)
    void loginsAndRefreshesKeepWorkingWhileKafkaIsDownAndNoEventIsLost() throws Exception {
        STACK.kafka().cluster().stopNode(0);
        String refreshHash;
        try {
            // the probes: alive and ready (Kafka is not part of readiness), while the operator's view says Kafka is down
            assertThat(admin().get("/ping").status()).isEqualTo(200);
            Http.Answer ready = admin().get("/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().path("ready").asBoolean()).isTrue();
            assertThat(ready.json().path("checks").has("kafka")).isFalse();
            assertThat(ready.json().path("checks").has("redis")).isTrue();
            Http.Answer health = admin().get("/healthcheck");
            assertThat(health.status()).isEqualTo(500);
            assertThat(health.json().path("kafka").path("healthy").asBoolean(true)).isFalse();
            assertThat(health.json().path("redis").path("healthy").asBoolean()).isTrue();
            Http.Answer login = login("alice", "alice-secret");
            assertThat(login.status()).isEqualTo(200);
            Http.Answer refreshed = HTTP.postForm("/oauth2/token", params("grant_type", "refresh_token",
                    "client_id", DemoRegistry.CLIENT_ID, "refresh_token", login.text("refresh_token")));
            assertThat(refreshed.status()).isEqualTo(200);
            refreshHash = Hashes.sha256(refreshed.text("refresh_token"));
        } finally {
            STACK.kafka().cluster().startNode(0);
        }
        List<ConsumerRecord<String, Event<?>>> events = STACK.kafka().readUntil(Topics.AUTH_EVENTS,
                rs -> rs.stream().anyMatch(r -> r.value().data() instanceof TokenRefreshed t
                        && t.refreshTokenHash().equals(refreshHash)), Duration.ofSeconds(90));
        TokenRefreshed refreshed = events.stream().map(r -> r.value().data())
                .filter(d -> d instanceof TokenRefreshed t && t.refreshTokenHash().equals(refreshHash))
                .map(TokenRefreshed.class::cast).findFirst().orElseThrow();
        assertThat(events).anyMatch(r -> r.value().data() instanceof LoginSucceeded s
                && s.familyId().equals(refreshed.familyId()));
    }

    @Test
    @Order(4)
    void redisDownIs503NotA500() {
        STACK.redis().server().kill();
        try {
            Http.Answer a = login("alice", "alice-secret");
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.text("error")).isEqualTo("temporarily_unavailable");
            assertThat(a.header("Retry-After")).isNotNull();
            // without Redis this node cannot serve: not ready, Redis named
            Http.Answer ready = admin().get("/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("ready").asBoolean(true)).isFalse();
            assertThat(ready.json().path("failing").toString()).contains("\"redis\"");
        } finally {
            STACK.redis().server().start();
        }
        // back, but empty: until revocation-stream has rebuilt the projection, alice's standing is unconfirmed
        Http.Answer beforeRebuild = login("alice", "alice-secret");
        assertThat(beforeRebuild.status()).isEqualTo(503);
        assertThat(beforeRebuild.text("error")).isEqualTo("temporarily_unavailable");
        TestApps.projectionReady(STACK.redis());
        assertThat(login("alice", "alice-secret").status()).isEqualTo(200);
    }
}
