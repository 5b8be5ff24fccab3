package io.tollgate.gateway;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped config/local.yml (plus a static route) run as the real Dropwizard application: admin side on its own
 * port, its tasks for operators only, its console log in the JSON layout ({@code TOLLGATE_LOG_FORMAT=json}).
 */
class GatewayApplicationIT {
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();

    private static final TestIssuer ISSUER = Fixtures.issuer();
    private static final RecordingUpstream UPSTREAM = Fixtures.upstream();

    private static DropwizardAppExtension<GatewayConfiguration> APP;
    /** Everything written to System.out from just before the app starts: its console appender's lines. */
    private static final java.io.ByteArrayOutputStream STDOUT = new java.io.ByteArrayOutputStream();
    private static java.io.PrintStream original;

    /** Started by hand: the app's overrides need the Redis and Kafka fixtures to be up first. */
    @BeforeAll
    static void startApp() throws Exception {
        Gateways.prepare(KAFKA, REDIS);
        // The shipped file routes nothing itself (the local stack's registry defines API mobile); the registry here
        // is shared with other test classes, which keep their own static mobile routes, so this one gets a static
        // route too: the shipped file plus a routes section.
        Path config = Files.createTempFile("gateway-app-it", ".yml");
        config.toFile().deleteOnExit();
        Files.writeString(config, Files.readString(Path.of("config/local.yml")) + """

                routes:
                  - api: mobile
                    pathPrefix: /mobile/
                    upstreams: [%s]
                    scopes: {GET: read, HEAD: read, "*": write}
                """.formatted(UPSTREAM.uri()));
        APP = new DropwizardAppExtension<>(
            GatewayApplication.class, config.toString(),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("proxy.port", "0"),
            ConfigOverride.config("node", "app-it"),
            ConfigOverride.config("tokens.jwksUrl", () -> ISSUER.jwksUri().toString()),
            ConfigOverride.config("tokens.issuer", TestIssuer.ISSUER),
            ConfigOverride.config("redis.host", () -> REDIS.host()),
            ConfigOverride.config("redis.port", () -> Integer.toString(REDIS.port())),
            ConfigOverride.config("kafka.bootstrapServers", () -> KAFKA.bootstrapServers()),
            // what TOLLGATE_LOG_FORMAT=json substitutes in config/local.yml (GatewayConfigurationTest)
            ConfigOverride.config("logging.appenders[0].layout.type", "json"));
        original = System.out;
        java.io.PrintStream console = original;
        System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                console.write(b);
                STDOUT.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                console.write(bytes, offset, length);
                STDOUT.write(bytes, offset, length);
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8));
        APP.before();
    }

    @AfterAll
    static void stopApp() {
        if (APP != null) {
            APP.after();
        }
        if (original != null) {
            System.setOut(original);
        }
        UPSTREAM.close();
    }

    /** With the JSON layout every console line is one JSON object with level, logger and message; no raw token. */
    @Test
    void theJsonLayoutWritesOneJsonObjectPerLineAndNoToken() throws Exception {
        GatewayServer server = ((GatewayApplication) APP.getApplication()).server();
        assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
        String token = ISSUER.token("alice", "read");
        assertThat(Gateways.get(server, "/mobile/logged", token).statusCode()).isEqualTo(200);
        assertThat(Gateways.get(server, "/mobile/logged", token + "x").statusCode()).isEqualTo(401);
        // Dropwizard logs "Started" once Jetty's admin connector is up; the async appender may still hold it
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!captured().contains("Started") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        // Lines before the app configured its logging (the fixtures' Kafka clients, in the test's own text layout)
        // come first; from the first JSON line on, the application log writes every line but two other kinds:
        // the admin connector's HTTP request log (access-log lines, its own appender) and logback's status lines.
        String all = captured();
        int first = all.startsWith("{") ? 0 : all.indexOf("\n{");
        assertThat(first).as("a JSON line in:%n%s", all).isNotNegative();
        java.util.regex.Pattern requestLog = java.util.regex.Pattern.compile("^\\S+ - \\S+ \\[[^]]+] \"[A-Z]+ .*");
        java.util.List<String> lines = all.substring(first).lines().filter(line -> !line.isBlank())
                .filter(line -> !requestLog.matcher(line).matches() && !line.contains(" |-")).toList();
        assertThat(lines).as("application log lines of the gateway").hasSizeGreaterThan(1);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : lines) {
            com.fasterxml.jackson.databind.JsonNode event = json.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.path("level").asText()).as(line).isNotBlank();
            assertThat(event.path("logger").asText()).as(line).isNotBlank();
            assertThat(event.has("message")).as(line).isTrue();
        }
        assertThat(lines).anySatisfy(line -> assertThat(json.readTree(line).path("message").asText())
                .contains("Started"));
        assertThat(captured()).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }

    private static String captured() {
        synchronized (STDOUT) {
            return STDOUT.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void healthMetricsAndTheDataPlaneWork() throws Exception {
        GatewayServer server = ((GatewayApplication) APP.getApplication()).server();
        assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();

        HttpResponse<String> proxied = Gateways.get(server, "/mobile/hello", ISSUER.token("alice", "read"));
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(UPSTREAM.last().header("x-authenticated-userid")).isEqualTo("alice");

        String admin = "http://127.0.0.1:" + APP.getAdminPort();
        HttpResponse<String> health = Gateways.CLIENT.send(HttpRequest.newBuilder(URI.create(admin + "/healthcheck"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"jwks\"", "\"token-state\"", "\"registry\"", "\"redis\"", "\"kafka\"");

        HttpResponse<String> metrics = Gateways.CLIENT.send(HttpRequest.newBuilder(URI.create(admin + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("gateway.tokens.cache.misses", "gateway.events.dropped");

        // Prometheus text format on the admin connector: API and outcome are labels, latencies histograms; the
        // proxied counter and the request histogram move with the next call.
        String proxiedSeries = "tollgate_gateway_requests_total{api=\"mobile\",outcome=\"proxied\"}";
        String timed = "tollgate_gateway_request_duration_seconds_count{api=\"mobile\"}";
        assertThat(prometheus(admin, "tollgate_gateway_requests_total{api=\"mobile\",outcome=\"rate_limited\"}"))
                .as("every outcome of a configured API is exported from the start").isZero();
        assertThat(prometheus(admin, "tollgate_gateway_upstream_duration_seconds_bucket{api=\"mobile\",le=\"+Inf\"}"))
                .isPositive();
        double before = prometheus(admin, proxiedSeries);
        double timedBefore = prometheus(admin, timed);
        assertThat(Gateways.get(server, "/mobile/again", ISSUER.token("alice", "read")).statusCode()).isEqualTo(200);
        // Counted when the exchange completes, which can be just after the client has read the answer.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        double after = prometheus(admin, proxiedSeries);
        while (after < before + 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = prometheus(admin, proxiedSeries);
        }
        assertThat(after).isEqualTo(before + 1);
        assertThat(prometheus(admin, timed)).isEqualTo(timedBefore + 1);
        assertThat(prometheus(admin, "tollgate_gateway_request_duration_seconds_bucket{api=\"mobile\",le=\"1.0\"}"))
                .isLessThanOrEqualTo(timedBefore + 1);
    }

    /** The admin port is exposed for scrapes: its tasks need the operator of config/local.yml (ops / ops-secret). */
    @Test
    void adminTasksNeedAnOperator() throws Exception {
        String gc = "http://127.0.0.1:" + APP.getAdminPort() + "/tasks/gc";
        for (String authorization : new String[] {null, basic("ops", "wrong"), basic("gateway", "gateway-secret")}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gc)).POST(HttpRequest.BodyPublishers.noBody());
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> refused = Gateways.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate"))
                    .contains("Basic realm=\"tollgate-admin\", charset=\"UTF-8\"");
            assertThat(refused.body()).contains("\"error\":\"unauthorized\"");
        }
        HttpResponse<String> ran = Gateways.CLIENT.send(HttpRequest.newBuilder(URI.create(gc))
                .header("Authorization", basic("ops", "ops-secret")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ran.statusCode()).isEqualTo(200);
    }

    private static String basic(String name, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((name + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static double prometheus(String admin, String name) throws Exception {
        HttpResponse<String> scrape = Gateways.CLIENT.send(HttpRequest.newBuilder(URI.create(admin + "/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        return scrape.body().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the scrape:\n" + scrape.body()));
    }

    /** Fixtures the app's config overrides need before the extension starts it. */
    static final class Fixtures {
        static TestIssuer issuer() {
            try {
                return new TestIssuer();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        static RecordingUpstream upstream() {
            try {
                return new RecordingUpstream();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
