package io.tollgate.tokenapi.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.testing.FreePorts;
import io.tollgate.shared.testing.KafkaExtension;
import io.tollgate.shared.testing.RedisExtension;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.TokenApiApplication;
import io.tollgate.tokenapi.TestApps;
import io.tollgate.tokenapi.TokenApiConfiguration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    static final int PORT = FreePorts.find();
    static final AtomicReference<String> IDP_MODE = new AtomicReference<>("ok");
    static final Map<String, String> USERS = Map.of("alice", "alice-secret", "carol", "carol-secret");
    static final HttpServer IDP = startIdp();

    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.dedicated(1);

    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();

    @RegisterExtension
    @Order(3)
    static final BeforeAllCallback SEED = context -> {
        TestApps.projectionReady(REDIS);
        KAFKA.createTopics(Topics.ALL);
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REGISTRY)) {
            DemoRegistry.publish(producer, Event.source("ops", "it"));
        }
    };

    @RegisterExtension
    @Order(4)
    static final DropwizardAppExtension<TokenApiConfiguration> APP = new DropwizardAppExtension<>(
            TokenApiApplication.class, "config/http-idp.yml",
            new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
            ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(PORT)),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("issuer", "http://127.0.0.1:" + PORT),
            ConfigOverride.config("kafka.bootstrapServers", KAFKA::bootstrapServers),
            ConfigOverride.config("redis.host", REDIS::host),
            ConfigOverride.config("redis.port", () -> Integer.toString(REDIS.port())),
            ConfigOverride.config("identityProvider.url",
                    () -> "http://127.0.0.1:" + IDP.getAddress().getPort() + "/check"),
            ConfigOverride.config("identityProvider.requestTimeout", "1s"),
            ConfigOverride.config("keys.file", () -> tempKeys()));

    static final Http HTTP = new Http("http://127.0.0.1:" + PORT);

    static String tempKeys() {
        try {
            return Files.createTempDirectory("token-api-rit").resolve("jwks.json").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A credential-check API: {@code ok} checks USERS, {@code error} answers 500, {@code slow} outlasts the timeout. */
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
                    String user = body.path("username").asText();
                    String password = body.path("password").asText();
                    int status;
                    String answer = "";
                    if (mode.equals("error")) {
                        status = 500;
                    } else if (password.equals(USERS.get(user))) {
                        status = 200;
                        answer = "{\"sub\":\"" + user + "\",\"groups\":"
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
        REDIS.flushAll();
        TestApps.projectionReady(REDIS);
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
        try (Jedis jedis = REDIS.jedis()) {
            assertThat(jedis.exists(RedisKeys.userFailures("alice"))).isFalse();
            assertThat(jedis.exists(RedisKeys.ipFailures("127.0.0.1"))).isFalse();
        }
    }

    @Test
    @Order(3)
    void loginsAndRefreshesKeepWorkingWhileKafkaIsDownAndNoEventIsLost() throws Exception {
        KAFKA.cluster().stopNode(0);
        String refreshHash;
        try {
            Http.Answer login = login("alice", "alice-secret");
            assertThat(login.status()).isEqualTo(200);
            Http.Answer refreshed = HTTP.postForm("/oauth2/token", params("grant_type", "refresh_token",
                    "client_id", DemoRegistry.CLIENT_ID, "refresh_token", login.text("refresh_token")));
            assertThat(refreshed.status()).isEqualTo(200);
            refreshHash = Hashes.sha256(refreshed.text("refresh_token"));
        } finally {
            KAFKA.cluster().startNode(0);
        }
        List<ConsumerRecord<String, Event<?>>> events = KAFKA.readUntil(Topics.AUTH_EVENTS,
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
        REDIS.server().kill();
        try {
            Http.Answer a = login("alice", "alice-secret");
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.text("error")).isEqualTo("temporarily_unavailable");
            assertThat(a.header("Retry-After")).isNotNull();
        } finally {
            REDIS.server().start();
        }
        // back, but empty: until revocation-stream has rebuilt the projection, alice's standing is unconfirmed
        Http.Answer beforeRebuild = login("alice", "alice-secret");
        assertThat(beforeRebuild.status()).isEqualTo(503);
        assertThat(beforeRebuild.text("error")).isEqualTo("temporarily_unavailable");
        TestApps.projectionReady(REDIS);
        assertThat(login("alice", "alice-secret").status()).isEqualTo(200);
    }
}
