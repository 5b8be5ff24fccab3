package io.tollgate.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.testing.FreePorts;
import io.tollgate.shared.testing.RedisExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the real stack cannot easily show the operator CLI ({@link OperatorCliStackIT} runs every command against
 * the real services): the liveness rules of {@code families} on hand-made Redis states (a family revoked, expired,
 * killed by a user+client not-before, created in the same second as a user revocation), a service answering its
 * healthcheck with a failing check, revocation-stream answering its task with an error, and a rebuild slow enough
 * to show intermediate progress, and token-api answering or refusing an approval (401, 403, 404, 409, 503, not
 * listening). Those server behaviours come from {@link FakeAdminServer}; Redis is real.
 */
class OperatorCommandsIT {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    @BeforeEach
    void clean() {
        REDIS.flushAll();
    }

    private static Map<String, String> env(String password) {
        Map<String, String> env = new HashMap<>();
        env.put("TOLLGATE_REDIS_HOST", REDIS.host());
        env.put("TOLLGATE_REDIS_PORT", Integer.toString(REDIS.port()));
        if (password != null) {
            env.put("TOLLGATE_OPERATOR_PASSWORD", password);
        }
        return env;
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
        StringWriter progress = new StringWriter();
        try (FakeAdminServer stream = new FakeAdminServer()) {
            stream.route("/tasks/rebuild-projection", r -> {
                // Like revocation-stream: mark rebuilding, report progress, then ready. Each step waits until the
                // CLI has drawn the previous one (a loaded machine may starve the CLI for longer than any sleep).
                Thread worker = new Thread(() -> {
                    try (Jedis jedis = REDIS.jedis()) {
                        jedis.hset(RedisKeys.PROJECTION, Map.of("state", "rebuilding", "progress", "0.25"));
                        drawn(progress, " 25%");
                        jedis.hset(RedisKeys.PROJECTION, "progress", "0.75");
                        drawn(progress, " 75%");
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
            CliRunner.Result result = CliRunner.run(env(null), new StringWriter(), progress, "rebuild-projection",
                    "--poll-ms", "50", "--health-url", "revocation-stream=" + stream.url("/healthcheck"));
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(stream.requests).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/tasks/rebuild-projection");
            });
            assertThat(result.err()).contains(" 25%", " 75%", "] 100%");
            assertThat(result.out()).contains("projection rebuilt");
        }
    }

    @Test
    void aRebuildTaskThatFailsIsAClearError() throws Exception {
        try (FakeAdminServer stream = new FakeAdminServer()) {
            stream.route("/tasks/rebuild-projection", r -> new FakeAdminServer.Answer(500, "{\"code\":500}"));
            CliRunner.Result result = CliRunner.run(env(null), "rebuild-projection",
                    "--health-url", "revocation-stream=" + stream.url("/healthcheck"));
            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("tollgate: revocation-stream answered 500 to "
                    + stream.url("/tasks/rebuild-projection") + "\n");
        }
    }

    @Test
    void approveCallsTheOperatorEndpointAndEveryRefusalIsAClearError() throws Exception {
        String path = "/portal/api/admin/subscriptions/sub-1/approve";
        try (FakeAdminServer tokenApi = new FakeAdminServer()) {
            tokenApi.route(path, r -> new FakeAdminServer.Answer(200, "{\"subscriptionId\":\"sub-1\","
                    + "\"clientId\":\"app-1\",\"api\":\"mobile\",\"planId\":\"gold\",\"status\":\"APPROVED\","
                    + "\"updatedAt\":\"2026-11-29T12:00:00Z\"}"));
            String base = tokenApi.url("");
            CliRunner.Result ok = CliRunner.run(env("pw-of-olga"), "approve", "--token-api", base, "-u", "olga", "sub-1");
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(ok.out()).isEqualTo("approved sub-1 (client app-1, API mobile, plan gold)\n");
            assertThat(tokenApi.requests).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo(path);
                assertThat(r.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                        .encodeToString("olga:pw-of-olga".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                assertThat(r.body()).isEmpty();
            });
            CliRunner.Result json = CliRunner.run(env("pw"), "approve", "--token-api", base, "sub-1", "--json");
            assertThat(json.code()).as(json.err()).isZero();
            assertThat(Json.mapper().readTree(json.out()).get("subscription").get("planId").asText()).isEqualTo("gold");
            assertThat(tokenApi.requests.get(1).authorization()).startsWith("Basic ");

            // An unrouted path is the fake's 404, like token-api's for an unknown subscription.
            CliRunner.Result unknown = CliRunner.run(env("pw"), "approve", "--token-api", base, "sub-nope");
            assertThat(unknown.code()).isEqualTo(1);
            assertThat(unknown.err()).isEqualTo("tollgate: no subscription sub-nope (404: unknown id, or its "
                    + "application was deleted)\n");
            assertThat(unknown.out()).isEmpty();

            Map<Integer, String> refusals = Map.of(
                    401, "tollgate: token-api refused the operator credentials of 'ops' (401): unauthorized "
                            + "(operator authentication required)\n",
                    403, "tollgate: operator 'ops' may not do this (403): forbidden (operators only)\n",
                    409, "tollgate: token-api answered 409 for " + path + ": conflict (changed meanwhile)\n",
                    503, "tollgate: token-api answered 503 for " + path + ": temporarily_unavailable (registry)\n");
            Map<Integer, String> bodies = Map.of(401, "unauthorized\",\"error_description\":\"operator authentication required",
                    403, "forbidden\",\"error_description\":\"operators only",
                    409, "conflict\",\"error_description\":\"changed meanwhile",
                    503, "temporarily_unavailable\",\"error_description\":\"registry");
            for (int status : refusals.keySet()) {
                tokenApi.route(path, r -> new FakeAdminServer.Answer(status, "{\"error\":\"" + bodies.get(status) + "\"}"));
                CliRunner.Result refused = CliRunner.run(env("a-wrong-password"), "approve", "--token-api", base, "sub-1");
                assertThat(refused.code()).as("status " + status).isEqualTo(1);
                assertThat(refused.err()).isEqualTo(refusals.get(status)).doesNotContain("a-wrong-password");
                assertThat(refused.out()).isEmpty();
            }
            tokenApi.route(path, r -> new FakeAdminServer.Answer(200, "<html>not json</html>"));
            CliRunner.Result garbage = CliRunner.run(env("pw"), "approve", "--token-api", base, "sub-1");
            assertThat(garbage.code()).isEqualTo(1);
            assertThat(garbage.err()).isEqualTo("tollgate: token-api answered the approval of sub-1 with no JSON\n");
        }
        String closed = "http://127.0.0.1:" + FreePorts.find();
        CliRunner.Result down = CliRunner.run(env("pw"), "approve", "--token-api", closed, "sub-1");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).isEqualTo("tollgate: token-api is not reachable at " + closed
                + " (is the stack running? --token-api)\n");
    }

    /** Waits (at most 30 s) until the CLI's stderr shows {@code text}. */
    private static void drawn(StringWriter err, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!err.toString().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
