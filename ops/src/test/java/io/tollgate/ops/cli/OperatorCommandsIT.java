package io.tollgate.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.testing.FreePorts;
import io.tollgate.shared.testing.RedisExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * families and rebuild-projection against a real Redis; revoke-user, revoke-client, health and the
 * rebuild task against {@link FakeAdminServer}, because token-api and revocation-stream are not in this
 * checkout yet (their own tests cover the server side of those endpoints).
 */
class OperatorCommandsIT {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private static final String PASSWORD = "ops-secret";
    private static FakeAdminServer fake;

    @BeforeAll
    static void fake() throws Exception {
        fake = new FakeAdminServer().route("/admin/users/alice/revoke", OperatorCommandsIT::operatorOnly)
                .route("/admin/clients/demo-mobile/revoke", OperatorCommandsIT::operatorOnly);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void clean() {
        REDIS.flushAll();
        fake.requests.clear();
    }

    private static FakeAdminServer.Answer operatorOnly(FakeAdminServer.Request request) {
        String expected = "Basic " + Base64.getEncoder().encodeToString(("ops:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return expected.equals(request.authorization()) ? new FakeAdminServer.Answer(204, "")
                : new FakeAdminServer.Answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad operator\"}");
    }

    private static Map<String, String> env(String password) {
        Map<String, String> env = new HashMap<>();
        env.put("TOLLGATE_ISSUER", fake.url(""));
        env.put("TOLLGATE_REDIS_HOST", REDIS.host());
        env.put("TOLLGATE_REDIS_PORT", Integer.toString(REDIS.port()));
        if (password != null) {
            env.put("TOLLGATE_OPERATOR_PASSWORD", password);
        }
        return env;
    }

    @Test
    void revokeUserPostsTheOperatorRequestWithBasicAuth() throws Exception {
        CliRunner.Result ok = CliRunner.run(env(PASSWORD), "revoke-user", "alice", "--client", "demo-mobile",
                "--reason", "lost phone");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("revoked every token of user alice for client demo-mobile");
        assertThat(fake.requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/admin/users/alice/revoke");
            assertThat(r.contentType()).isEqualTo("application/json");
            JsonNode body = Json.mapper().readTree(r.body());
            assertThat(body.get("client_id").asText()).isEqualTo("demo-mobile");
            assertThat(body.get("reason").asText()).isEqualTo("lost phone");
        });

        CliRunner.Result wrong = CliRunner.run(env("not-the-password"), "revoke-user", "alice");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("refused the operator credentials of 'ops' (401)", "invalid_client")
                .doesNotContain("not-the-password");
        assertThat(wrong.out()).isEmpty();

        CliRunner.Result none = CliRunner.run(env(null), "revoke-user", "alice");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no operator password");

        CliRunner.Result other = CliRunner.run(env(PASSWORD), "revoke-user", "bob");
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).contains("(404)");
    }

    @Test
    void revokeClientPostsAndPrintsJson() throws Exception {
        CliRunner.Result ok = CliRunner.run(env(PASSWORD), "revoke-client", "demo-mobile", "--json");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(Json.mapper().readTree(ok.out()).get("client").asText()).isEqualTo("demo-mobile");
        assertThat(fake.requests).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/admin/clients/demo-mobile/revoke");
            assertThat(r.body()).isEmpty();
        });
    }

    private static void family(Jedis jedis, String sid, String user, String client, Instant created, Instant expires) {
        jedis.hset(RedisKeys.family(sid), Map.of("user", user, "client", client, "generation", "2",
                "hash", "h", "createdAt", Long.toString(created.toEpochMilli()),
                "expiresAt", Long.toString(expires.getEpochSecond()), "scope", "read", "subscriptionId", "sub-1",
                "planId", "basic"));
        jedis.zadd(RedisKeys.families(user, client), created.toEpochMilli(), sid);
        jedis.sadd(RedisKeys.familyClients(user), client);
    }

    @Test
    void familiesListsOnlyLiveFamiliesOldestFirst() throws Exception {
        Instant now = Instant.now();
        Instant later = now.plusSeconds(86_400);
        try (Jedis jedis = REDIS.jedis()) {
            family(jedis, "f-live", "alice", "demo-mobile", now.minusSeconds(60), later);
            family(jedis, "f-revoked", "alice", "demo-mobile", now.minusSeconds(50), later);
            jedis.set(RedisKeys.revokedFamily("f-revoked"), Long.toString(now.getEpochSecond()));
            family(jedis, "f-expired", "alice", "demo-mobile", now.minusSeconds(40), now.minusSeconds(1));
            family(jedis, "f-killed", "alice", "other-app", now.minusSeconds(200), later);
            family(jedis, "f-live2", "alice", "other-app", now.minusSeconds(10), later);
            jedis.set(RedisKeys.userClientNotBefore("alice", "other-app"), Long.toString(now.minusSeconds(100).getEpochSecond()));
            family(jedis, "f-bob", "bob", "demo-mobile", now.minusSeconds(30), later);
            jedis.set(RedisKeys.userNotBefore("bob"), Long.toString(now.minusSeconds(30).getEpochSecond()));
        }
        CliRunner.Result json = CliRunner.run(env(null), "families", "alice", "--json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode list = Json.mapper().readTree(json.out());
        assertThat(list).extracting(n -> n.get("familyId").asText()).containsExactly("f-live", "f-live2");

        CliRunner.Result table = CliRunner.run(env(null), "families", "alice", "--client", "other-app");
        assertThat(table.out()).contains("FAMILY", "f-live2", "other-app", "basic").doesNotContain("f-live ");
        // bob's only family was created in the same second as his revocation: revoked (fail closed).
        assertThat(CliRunner.run(env(null), "families", "bob").out()).contains("no live token families for user bob");

        Map<String, String> down = env(null);
        down.put("TOLLGATE_REDIS_PORT", Integer.toString(FreePorts.find()));
        CliRunner.Result unreachable = CliRunner.run(down, "families", "alice");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("Redis is not reachable");
    }

    @Test
    void healthShowsEveryServiceAndFailsWhenOneIsNot() throws Exception {
        try (FakeAdminServer services = new FakeAdminServer()) {
            services.route("/ok", r -> new FakeAdminServer.Answer(200,
                    "{\"kafka\":{\"healthy\":true},\"deadlocks\":{\"healthy\":true}}"));
            services.route("/bad", r -> new FakeAdminServer.Answer(500,
                    "{\"kafka\":{\"healthy\":true},\"redis\":{\"healthy\":false,\"message\":\"connection refused\"}}"));
            String closed = "http://127.0.0.1:" + FreePorts.find() + "/healthcheck";
            String[] common = {"--health-url", "token-api=" + services.url("/ok"),
                    "--health-url", "policy-worker=" + services.url("/ok"),
                    "--health-url", "revocation-stream=" + services.url("/ok"),
                    "--health-url", "gateway=" + services.url("/ok")};
            CliRunner.Result healthy = CliRunner.run(env(null), concat(new String[] {"health"}, common));
            assertThat(healthy.code()).as(healthy.out() + healthy.err()).isZero();
            assertThat(healthy.out()).contains("SERVICE", "token-api", "gateway").doesNotContain("down");

            CliRunner.Result mixed = CliRunner.run(env(null), concat(new String[] {"health", "--json"}, common,
                    new String[] {"--health-url", "gateway=" + services.url("/bad"),
                            "--health-url", "policy-worker=" + closed}));
            assertThat(mixed.code()).isEqualTo(1);
            assertThat(mixed.err()).contains("2 of 4 services are not healthy");
            Map<String, JsonNode> byService = new HashMap<>();
            Json.mapper().readTree(mixed.out()).forEach(n -> byService.put(n.get("service").asText(), n));
            assertThat(byService.get("token-api").get("status").asText()).isEqualTo("healthy");
            assertThat(byService.get("gateway").get("status").asText()).isEqualTo("unhealthy");
            assertThat(byService.get("gateway").get("failing").get(0).asText()).isEqualTo("redis: connection refused");
            assertThat(byService.get("policy-worker").get("status").asText()).isEqualTo("down");
        }
    }

    @Test
    void rebuildProjectionTriggersTheTaskAndFollowsProgressUntilReady() throws Exception {
        try (FakeAdminServer stream = new FakeAdminServer()) {
            stream.route("/tasks/rebuild-projection", r -> {
                // Like revocation-stream: mark rebuilding, report progress, then ready.
                Thread worker = new Thread(() -> {
                    try (Jedis jedis = REDIS.jedis()) {
                        jedis.hset(RedisKeys.PROJECTION, Map.of("state", "rebuilding", "progress", "0.25"));
                        Thread.sleep(400);
                        jedis.hset(RedisKeys.PROJECTION, "progress", "0.75");
                        Thread.sleep(400);
                        jedis.hset(RedisKeys.PROJECTION, Map.of("state", "ready", "progress", "1",
                                "updatedAt", Long.toString(System.currentTimeMillis())));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                worker.start();
                return new FakeAdminServer.Answer(200, "");
            });
            try (Jedis jedis = REDIS.jedis()) {
                jedis.hset(RedisKeys.PROJECTION, Map.of("state", "ready", "updatedAt", "1"));
            }
            CliRunner.Result result = CliRunner.run(env(null), "rebuild-projection", "--poll-ms", "50",
                    "--health-url", "revocation-stream=" + stream.url("/healthcheck"));
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(stream.requests).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/tasks/rebuild-projection");
            });
            assertThat(result.err()).contains(" 25%", " 75%", "] 100%");
            assertThat(result.out()).contains("projection rebuilt");
        }
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
