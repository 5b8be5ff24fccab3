package io.tollgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.json.Json;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probes of the shipped config/local.yml: {@code /ping} (liveness) and {@code /ready} (readiness) on the admin
 * port. A broker outage leaves the gateway serving and ready while {@code /healthcheck} reports Kafka down; without
 * Redis it cannot confirm token state, and is not ready.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProbesIT {
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.dedicated(1);
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();

    private static final TestIssuer ISSUER = GatewayApplicationIT.Fixtures.issuer();
    private static final RecordingUpstream UPSTREAM = GatewayApplicationIT.Fixtures.upstream();

    private static DropwizardAppExtension<GatewayConfiguration> app;
    private static GatewayServer server;

    @BeforeAll
    static void startApp() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        try (var producer = KAFKA.producer(Topics.REGISTRY)) {
            DemoRegistry.publish(producer, Event.source("test", "probes-it"));
            // the shipped file routes nothing itself: API mobile comes from the registry, as in the local stack
            DemoRegistry.publishApi(producer, Event.source("test", "probes-it"), UPSTREAM.uri().toString());
        }
        Gateways.markProjectionReady(REDIS);
        app = new DropwizardAppExtension<>(
            GatewayApplication.class, "config/local.yml",
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("proxy.port", "0"),
            ConfigOverride.config("node", "probes-it"),
            ConfigOverride.config("tokens.jwksUrl", () -> ISSUER.jwksUri().toString()),
            ConfigOverride.config("tokens.issuer", TestIssuer.ISSUER),
            ConfigOverride.config("redis.host", REDIS::host),
            ConfigOverride.config("redis.port", () -> Integer.toString(REDIS.port())),
            ConfigOverride.config("kafka.bootstrapServers", KAFKA::bootstrapServers));
        app.before();
        server = ((GatewayApplication) app.getApplication()).server();
        assertThat(server.awaitReady(Duration.ofSeconds(60))).isTrue();
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.after();
        }
        UPSTREAM.close();
    }

    @Test
    @Order(1)
    void readyWithEveryCheckThatDecidesItAndKafkaLeftToHealthcheck() throws Exception {
        assertThat(admin("/ping").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = admin("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(ready.body());
        assertThat(body.path("ready").asBoolean()).isTrue();
        assertThat(body.path("checks").has("jwks")).isTrue();
        assertThat(body.path("checks").has("token-state")).isTrue();
        assertThat(body.path("checks").has("registry")).isTrue();
        assertThat(body.path("checks").has("redis")).isTrue();
        assertThat(body.path("checks").has("kafka")).isFalse();
        assertThat(body.path("notRequired").toString()).isEqualTo("[\"kafka\"]");
    }

    @Test
    @Order(2)
    void aBrokerOutageLeavesTheGatewayServingAndReadyWhileHealthcheckReportsKafkaDown() throws Exception {
        KAFKA.cluster().stopNode(0);
        try {
            HttpResponse<String> health = admin("/healthcheck");
            assertThat(health.statusCode()).isEqualTo(500);
            JsonNode checks = Json.mapper().readTree(health.body());
            assertThat(checks.path("kafka").path("healthy").asBoolean(true)).isFalse();
            assertThat(checks.path("redis").path("healthy").asBoolean()).isTrue();

            HttpResponse<String> ready = admin("/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(Gateways.get(server, "/mobile/during-outage", ISSUER.token("alice", "read")).statusCode())
                    .isEqualTo(200);
            assertThat(admin("/ping").statusCode()).isEqualTo(200);
        } finally {
            KAFKA.cluster().startNode(0);
        }
    }

    @Test
    @Order(3)
    void withoutRedisTheGatewayIsNotReadyAndSaysWhy() throws Exception {
        REDIS.server().kill();
        try {
            HttpResponse<String> ready = admin("/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode body = Json.mapper().readTree(ready.body());
            assertThat(body.path("ready").asBoolean(true)).isFalse();
            assertThat(body.path("failing").toString()).contains("\"redis\"");
            assertThat(body.path("checks").path("redis").path("healthy").asBoolean(true)).isFalse();
            assertThat(admin("/ping").statusCode()).isEqualTo(200); // alive: no restart wanted
        } finally {
            REDIS.server().start();
        }
    }

    private static HttpResponse<String> admin(String path) throws Exception {
        return Gateways.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
