package io.tollgate.revocation;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole service against a real broker and a real Redis: projection, invalidations, rebuild, usage. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevocationStreamIT {
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();

    @RegisterExtension
    @Order(3)
    static final DropwizardAppExtension<RevocationStreamConfiguration> APP = new DropwizardAppExtension<>(
            RevocationStreamApplication.class, "config/local.yml",
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("kafka.bootstrapServers", KAFKA::bootstrapServers),
            ConfigOverride.config("redis.port", () -> Integer.toString(REDIS.port())),
            ConfigOverride.config("applicationId", "rs-it-" + UUID.randomUUID()),
            ConfigOverride.config("stateDir", "target/it-state/" + UUID.randomUUID()),
            ConfigOverride.config("projectionCheckInterval", "500 milliseconds"));

    private static final URI SOURCE = Event.source("test", "it");
    private static Invalidations invalidations;
    private static Producer<String, Event<?>> producer;

    @BeforeAll
    static void subscribe() throws Exception {
        producer = KAFKA.producer(Topics.REVOCATIONS);
        invalidations = Invalidations.listen(REDIS);
        // start-up on an empty Redis rebuilds, then marks the projection ready
        await(() -> RedisKeys.PROJECTION_READY.equals(hget(RedisKeys.PROJECTION, "state")), Duration.ofSeconds(60));
    }

    @AfterAll
    static void close() {
        invalidations.close();
        producer.close();
    }

    private static void send(Topic<String, Event<?>> topic, String key, EventData data) {
        producer.send(new ProducerRecord<>(topic.name(), key, Event.of(SOURCE, data)));
        producer.flush();
    }

    private static Revocation userRevocation(String user, Instant notBefore) {
        return new Revocation(Revocation.Kind.USER, user, null, null, null, notBefore.truncatedTo(ChronoUnit.SECONDS),
                notBefore.plus(Duration.ofDays(30)), "policy-worker", "license expired");
    }

    @Test
    @Order(1)
    void davesDenialReachesRedisAndASubscribedGateway() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        send(Topics.POLICY_DECISIONS, "dave", new PolicyDecision("dave", "demo-mobile", "fam-d",
                PolicyDecision.Outcome.DENY, "license", "license expired", now));
        Revocation revocation = userRevocation("dave", now);
        send(Topics.REVOCATIONS, revocation.key(), revocation);

        await(() -> invalidations.messages().containsAll(List.of("tg:rev:user:dave", "tg:decision:dave")),
                Duration.ofSeconds(30));
        try (Jedis jedis = REDIS.jedis()) {
            assertThat(jedis.get("tg:rev:user:dave")).isEqualTo(Long.toString(now.getEpochSecond()));
            assertThat(jedis.ttl("tg:rev:user:dave")).isBetween(Duration.ofDays(30).toSeconds() - 60,
                    Duration.ofDays(30).toSeconds());
            assertThat(jedis.hgetAll("tg:decision:dave")).containsEntry("outcome", "DENY")
                    .containsEntry("policy", "license");
        }
    }

    @Test
    @Order(2)
    void revokingAUserWithAThousandLiveTokensIsOneKeyAndOneMessage() throws Exception {
        Instant now = Instant.now();
        for (int i = 0; i < 1_000; i++) {
            producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), "erin", Event.of(SOURCE,
                    new LoginSucceeded("erin", "demo-mobile", "demo-mobile-app", "sub", "premium", "fam-erin-" + i, 0,
                            String.format("%043d", i), "jti-" + i, "read", now.plusSeconds(300),
                            now.plus(Duration.ofDays(30)), "127.0.0.1"))));
        }
        producer.flush();
        await(() -> zcard("tg:families:erin:demo-mobile") == 1_000, Duration.ofSeconds(60));
        invalidations.messages().clear();

        Revocation revocation = userRevocation("erin", Instant.now());
        send(Topics.REVOCATIONS, revocation.key(), revocation);
        await(() -> invalidations.messages().contains("tg:rev:user:erin"), Duration.ofSeconds(30));
        Thread.sleep(500); // a quiet period: no further message may follow
        assertThat(invalidations.messages()).containsExactly("tg:rev:user:erin");
        try (Jedis jedis = REDIS.jedis()) {
            assertThat(jedis.keys("tg:rev:*erin*")).containsExactly("tg:rev:user:erin");
        }
    }

    @Test
    @Order(3)
    void usageIsServedAsAbsoluteCounts() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        for (int i = 0; i < 7; i++) {
            producer.send(new ProducerRecord<>(Topics.CALLS.name(), "demo-mobile|bob", Event.of(SOURCE,
                    new ApiCall("demo-mobile", "bob", "mobile", "/mobile/", "GET", 200, 900, ApiCall.Outcome.PROXIED,
                            t.plusSeconds(i)))));
        }
        producer.flush();
        String key = RedisKeys.usage("demo-mobile", "bob", RedisKeys.Window.MINUTE, t.getEpochSecond());
        await(() -> "7".equals(get(key)), Duration.ofSeconds(30));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + APP.getLocalPort() + "/usage/demo-mobile?user=bob&window=m&last=2")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("{\"start\":" + t.getEpochSecond() + ",\"count\":7}");
        HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + APP.getLocalPort() + "/usage/demo-mobile?window=y")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void aFlushedRedisIsRebuiltFromKafka() throws Exception {
        Instant now = Instant.now();
        for (int i = 0; i < 50; i++) {
            Revocation r = new Revocation(Revocation.Kind.TOKEN, null, null, null, "rb-jti-" + i,
                    now.truncatedTo(ChronoUnit.SECONDS), now.plusSeconds(3600), "ops", null);
            producer.send(new ProducerRecord<>(Topics.REVOCATIONS.name(), r.key(), Event.of(SOURCE, r)));
        }
        // a login that named RFC 8707 resources: the family's audience (which no refresh may widen) is rebuilt too
        for (List<String> audience : Arrays.asList(List.of("mobile", "orders"), null)) {
            String familyId = audience == null ? "fam-rb-all" : "fam-rb-aud";
            producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), "rb-user", Event.of(SOURCE,
                    new LoginSucceeded("rb-user", "demo-mobile", "demo-mobile-app", "sub", "basic", familyId, 0,
                            Hashes.sha256(familyId), "jti-" + familyId, "read", now.plusSeconds(300),
                            now.plus(Duration.ofDays(30)), "127.0.0.1", audience,
                            audience == null ? null : "dpop-thumbprint-" + familyId))));
        }
        producer.flush();
        await(() -> get("tg:rev:jti:rb-jti-49") != null && get("tg:rev:jti:rb-jti-0") != null, Duration.ofSeconds(30));
        await(() -> hget(RedisKeys.family("fam-rb-all"), "user") != null, Duration.ofSeconds(30));
        assertThat(hget(RedisKeys.family("fam-rb-aud"), "audience")).isEqualTo("mobile orders");
        String daveNotBefore = get("tg:rev:user:dave");
        invalidations.messages().clear();

        REDIS.flushAll();
        await(() -> RedisKeys.PROJECTION_READY.equals(hget(RedisKeys.PROJECTION, "state")), Duration.ofSeconds(60));
        try (Jedis jedis = REDIS.jedis()) {
            for (int i = 0; i < 50; i++) {
                assertThat(jedis.get("tg:rev:jti:rb-jti-" + i)).isNotNull();
            }
            assertThat(jedis.get("tg:rev:user:dave")).isEqualTo(daveNotBefore);
            assertThat(jedis.get("tg:rev:user:erin")).isNotNull();
            assertThat(jedis.hget("tg:decision:dave", "outcome")).isEqualTo("DENY");
            assertThat(jedis.zcard("tg:families:erin:demo-mobile")).isEqualTo(1_000);
            assertThat(jedis.hget(RedisKeys.family("fam-rb-aud"), "audience")).isEqualTo("mobile orders");
            // a DPoP-bound family stays bound after the rebuild; an unbound one gets no jkt
            assertThat(jedis.hget(RedisKeys.family("fam-rb-aud"), "jkt")).isEqualTo("dpop-thumbprint-fam-rb-aud");
            assertThat(jedis.hexists(RedisKeys.family("fam-rb-all"), "jkt")).isFalse();
            assertThat(jedis.hget(RedisKeys.family("fam-rb-all"), "user")).isEqualTo("rb-user");
            assertThat(jedis.hexists(RedisKeys.family("fam-rb-all"), "audience")).isFalse();
            assertThat(jedis.hget(RedisKeys.PROJECTION, "progress")).isEqualTo("100");
        }
        await(() -> invalidations.messages().contains("*"), Duration.ofSeconds(5));

        // the operator command does the same on demand
        invalidations.messages().clear();
        HttpResponse<String> task = admin("POST", "/tasks/rebuild-projection", OPERATOR);
        assertThat(task.statusCode()).isEqualTo(200);
        await(() -> invalidations.messages().contains("*"), Duration.ofSeconds(60));
        assertThat(hget(RedisKeys.PROJECTION, "state")).isEqualTo(RedisKeys.PROJECTION_READY);
    }

    @Test
    @Order(5)
    void thePropagationTimerAndTheConsumerLagAreExposedForPrometheus() throws Exception {
        // dave's, erin's and the 50 token revocations above were projected live (whatever else the topic held too)
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + APP.getAdminPort() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        String text = scrape.body();
        assertThat(text).contains("# TYPE tollgate_revocation_propagation_seconds histogram",
                "# TYPE streams_consumer_lag gauge");
        double count = sample(text, "tollgate_revocation_propagation_seconds_count");
        assertThat(count).isGreaterThanOrEqualTo(52);
        assertThat(sample(text, "tollgate_revocation_propagation_seconds_bucket{le=\"+Inf\"}")).isEqualTo(count);
        assertThat(sample(text, "tollgate_revocation_propagation_seconds_bucket{le=\"10.0\"}")).isNotNegative()
                .isLessThanOrEqualTo(count);
        assertThat(sample(text, "tollgate_revocation_propagation_seconds_sum")).isNotNegative();
        assertThat(sample(text, "streams_consumer_lag")).isNotNegative();
        assertThat(APP.getEnvironment().metrics().getGauges()).containsKey("streams.consumer.lag");
    }

    /** The value of the sample {@code series} (name and labels as printed) in a Prometheus text scrape. */
    private static double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(series + " not in the scrape:\n" + scrape));
    }

    /**
     * The admin port is exposed for scrapes, so its tasks need an operator (the demo ops / ops-secret of
     * config/local.yml): without one, or with a wrong password, nothing runs; what scrapers and probes read stays open.
     */
    @Test
    @Order(6)
    void adminTasksNeedAnOperatorWhileScrapesAndProbesStayOpen() throws Exception {
        await(() -> RedisKeys.PROJECTION_READY.equals(hget(RedisKeys.PROJECTION, "state")), Duration.ofSeconds(60));
        String rebuild = hget(RedisKeys.PROJECTION, "rebuild");
        long requested = rebuildRequests();

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("no credentials", null);
        refused.put("wrong password", basic("ops", "ops-secreT"));
        refused.put("unknown operator", basic("nobody", "ops-secret"));
        refused.put("another scheme", "Bearer ops-secret");
        for (Map.Entry<String, String> r : refused.entrySet()) {
            for (String path : List.of("/tasks/rebuild-projection", "/tasks/gc",
                    "/tasks/log-level?logger=io.tollgate&level=DEBUG")) {
                HttpResponse<String> answer = admin("POST", path, r.getValue());
                assertThat(answer.statusCode()).as(r.getKey() + " " + path).isEqualTo(401);
                assertThat(answer.headers().firstValue("WWW-Authenticate"))
                        .contains("Basic realm=\"tollgate-admin\", charset=\"UTF-8\"");
                assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/json"));
                JsonNode body = Json.mapper().readTree(answer.body());
                assertThat(body.get("error").asText()).isEqualTo("unauthorized");
                assertThat(body.get("error_description").asText()).isNotBlank();
            }
        }
        // spellings of the task's path that must not reach it without the filter (Jetty normalizes or refuses them)
        for (String path : List.of("/tasks", "/tasks/", "//tasks/rebuild-projection", "/tasks//rebuild-projection",
                "/./tasks/rebuild-projection", "/tasks/./rebuild-projection", "/x/../tasks/rebuild-projection",
                "/%74asks/rebuild-projection", "/tasks/rebuild%2Dprojection", "/tasks;x=1/rebuild-projection")) {
            int status = admin("POST", path, null).statusCode();
            assertThat(status).as(path).isIn(400, 401, 404);
        }
        // the task never ran: its counter moved not, and no rebuild was claimed
        assertThat(rebuildRequests()).isEqualTo(requested);
        assertThat(hget(RedisKeys.PROJECTION, "rebuild")).isEqualTo(rebuild);
        assertThat(hget(RedisKeys.PROJECTION, "state")).isEqualTo(RedisKeys.PROJECTION_READY);

        // the CPU profiler runs for as long as it is asked to: an operator's tool too
        for (String profiler : List.of("/pprof", "/pprof?duration=1", "/pprof/")) {
            assertThat(admin("GET", profiler, null).statusCode()).as(profiler).isEqualTo(401);
        }
        for (String open : List.of("/metrics", "/prometheus", "/healthcheck", "/ping", "/threads", "/ready")) {
            assertThat(admin("GET", open, null).statusCode()).as(open).isEqualTo(200);
        }
        // Kafka is this service's work: its readiness runs every check, the broker's and the topology's included
        assertThat(admin("GET", "/ready", null).body()).contains("\"ready\":true", "\"kafka\":{\"healthy\":true",
                "\"streams\":{\"healthy\":true", "\"notRequired\":[]");

        invalidations.messages().clear();
        HttpResponse<String> started = admin("POST", "/tasks/rebuild-projection", OPERATOR);
        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.body()).contains("rebuild started");
        assertThat(rebuildRequests()).isEqualTo(requested + 1);
        await(() -> invalidations.messages().contains("*") && !rebuild.equals(hget(RedisKeys.PROJECTION, "rebuild"))
                && RedisKeys.PROJECTION_READY.equals(hget(RedisKeys.PROJECTION, "state")), Duration.ofSeconds(60));
        assertThat(admin("POST", "/tasks/gc", OPERATOR).statusCode()).isEqualTo(200);
    }

    private static final String OPERATOR = basic("ops", "ops-secret");

    private static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> admin(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The task's own count of rebuilds asked for, read from the (open) Dropwizard metrics. */
    private static long rebuildRequests() throws Exception {
        HttpResponse<String> metrics = admin("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        return Json.mapper().readTree(metrics.body()).path("counters").path("projection.rebuild.requests").path("count")
                .asLong(-1);
    }

    private static String get(String key) {
        try (Jedis jedis = REDIS.jedis()) {
            return jedis.get(key);
        }
    }

    private static String hget(String key, String field) {
        try (Jedis jedis = REDIS.jedis()) {
            return jedis.hget(key, field);
        }
    }

    private static long zcard(String key) {
        try (Jedis jedis = REDIS.jedis()) {
            return jedis.zcard(key);
        }
    }

    static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
