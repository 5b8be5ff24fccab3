package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the real stack cannot easily show the operator CLI ({@link OperatorCliStackIT} runs every command against
 * the real services): {@code families} showing what token-api lists (its liveness rules are token-api's, tested
 * there in {@code AdminFamiliesIT}) and token-api refusing it (401, 503 while rebuilding, not listening), a service
 * answering its healthcheck with a failing check, revocation-stream answering its task with an error or refusing the
 * operator (401, 403, 429), and a rebuild slow enough to show intermediate progress, and token-api answering or
 * refusing an approval bound to the plan and version it showed (401, 403, 404, 409, 503, not listening). Those
 * server behaviours come from {@link FakeAdminServer}; Redis is real.
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

    @Test
    void familiesShowsWhatTokenApiListsAndEveryRefusalIsAClearError() throws Exception {
        String path = "/admin/users/alice/families";
        String two = "{\"user\":\"alice\",\"client_id\":null,\"families\":["
                + "{\"familyId\":\"f-live\",\"user\":\"alice\",\"client\":\"demo-mobile\",\"generation\":2,"
                + "\"createdAt\":\"2026-11-29T03:40:01.123Z\",\"expiresAt\":\"2026-12-29T03:40:01Z\",\"scope\":\"read\","
                + "\"subscriptionId\":\"sub-1\",\"planId\":\"basic\"},"
                + "{\"familyId\":\"f-live2\",\"user\":\"alice\",\"client\":\"other-app\",\"generation\":0,"
                + "\"createdAt\":\"2026-11-29T04:00:00Z\",\"expiresAt\":\"2026-12-29T04:00:00Z\",\"scope\":\"read write\","
                + "\"subscriptionId\":\"sub-2\",\"planId\":\"premium\"}]}";
        try (FakeAdminServer tokenApi = new FakeAdminServer()) {
            tokenApi.route(path, r -> new FakeAdminServer.Answer(200, two));
            tokenApi.route("/admin/users/bob/families", r -> new FakeAdminServer.Answer(200,
                    "{\"user\":\"bob\",\"client_id\":null,\"families\":[]}"));
            String base = tokenApi.url("");
            CliRunner.Result json = CliRunner.run(env("pw-of-olga"), "families", "--token-api", base, "-u", "olga",
                    "alice", "--json");
            assertThat(json.code()).as(json.err()).isZero();
            JsonNode list = Json.mapper().readTree(json.out());
            assertThat(list).extracting(n -> n.get("familyId").asText()).containsExactly("f-live", "f-live2");
            assertThat(list.get(0).get("generation").asInt()).isEqualTo(2);
            assertThat(tokenApi.requests).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.path()).isEqualTo(path);
                assertThat(r.query()).isNull();
                assertThat(r.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                        .encodeToString("olga:pw-of-olga".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            });

            CliRunner.Result table = CliRunner.run(env("pw"), "families", "--token-api", base, "alice",
                    "--client", "other app");
            assertThat(table.code()).as(table.err()).isZero();
            assertThat(tokenApi.requests.get(1).query()).isEqualTo("client_id=other+app");
            List<String> lines = table.out().lines().toList();
            assertThat(lines.get(0)).matches("FAMILY\\s+CLIENT\\s+CREATED\\s+REFRESH EXPIRES\\s+GEN\\s+SCOPE\\s+PLAN\\s*");
            assertThat(lines.get(1)).matches("f-live\\s+demo-mobile\\s+2026-11-29T03:40:01.123Z\\s+"
                    + "2026-12-29T03:40:01Z\\s+2\\s+read\\s+basic\\s*");
            assertThat(CliRunner.run(env("pw"), "families", "--token-api", base, "bob").out())
                    .isEqualTo("no live token families for user bob\n");

            tokenApi.route(path, r -> new FakeAdminServer.Answer(503, "{\"error\":\"temporarily_unavailable\","
                    + "\"error_description\":\"token state is being restored, try again later\"}"));
            CliRunner.Result rebuilding = CliRunner.run(env("pw"), "families", "--token-api", base, "alice");
            assertThat(rebuilding.code()).isEqualTo(1);
            assertThat(rebuilding.err()).isEqualTo("tollgate: token-api answered 503 for " + path
                    + ": temporarily_unavailable (token state is being restored, try again later)\n");
            assertThat(rebuilding.out()).isEmpty();

            tokenApi.route(path, r -> new FakeAdminServer.Answer(401, "{\"error\":\"unauthorized\","
                    + "\"error_description\":\"operator authentication required\"}"));
            CliRunner.Result wrong = CliRunner.run(env("a-wrong-password"), "families", "--token-api", base, "alice");
            assertThat(wrong.code()).isEqualTo(1);
            assertThat(wrong.err()).startsWith("tollgate: token-api refused the operator credentials of 'ops' (401)")
                    .doesNotContain("a-wrong-password");
        }
        String closed = "http://127.0.0.1:" + FreePorts.find();
        CliRunner.Result down = CliRunner.run(env("pw"), "families", "--token-api", closed, "alice");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("token-api is not reachable at " + closed);
    }

    @Test
    void blockUnblockAndUsersGoThroughTokenApisOperatorApi() throws Exception {
        String block = "/admin/users/ALICE/block";
        String alice = "{\"user\":\"alice\",\"reason\":\"fraud\",\"operator\":\"olga\","
                + "\"blockedAt\":\"2026-12-06T21:00:00.123Z\"}";
        try (FakeAdminServer tokenApi = new FakeAdminServer()) {
            tokenApi.route(block, r -> new FakeAdminServer.Answer(200, alice));
            tokenApi.route("/admin/users/bob/block", r -> new FakeAdminServer.Answer(404,
                    "{\"error\":\"not_found\",\"error_description\":\"the user is not blocked\"}"));
            String base = tokenApi.url("");

            CliRunner.Result blocked = CliRunner.run(env("pw-of-olga"), "block-user", "--token-api", base, "-u",
                    "olga", "ALICE", "--reason", "fraud");
            assertThat(blocked.code()).as(blocked.err()).isZero();
            assertThat(blocked.out()).startsWith("blocked user alice: every token revoked");
            FakeAdminServer.Request sent = tokenApi.requests.get(0);
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo(block);
            assertThat(sent.contentType()).isEqualTo("application/json");
            assertThat(Json.mapper().readTree(sent.body()).get("reason").asText()).isEqualTo("fraud");
            assertThat(sent.authorization()).isEqualTo("Basic " + java.util.Base64.getEncoder()
                    .encodeToString("olga:pw-of-olga".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            // without a reason: still a JSON body (token-api takes operator changes as JSON only)
            assertThat(CliRunner.run(env("pw"), "block-user", "--token-api", base, "ALICE").code()).isZero();
            assertThat(tokenApi.requests.get(1).contentType()).isEqualTo("application/json");

            CliRunner.Result unblocked = CliRunner.run(env("pw"), "unblock-user", "--token-api", base, "ALICE",
                    "--json");
            assertThat(unblocked.code()).as(unblocked.err()).isZero();
            assertThat(tokenApi.requests.get(2).method()).isEqualTo("DELETE");
            assertThat(Json.mapper().readTree(unblocked.out()).get("user").asText()).isEqualTo("alice");
            CliRunner.Result notBlocked = CliRunner.run(env("pw"), "unblock-user", "--token-api", base, "bob");
            assertThat(notBlocked.code()).isEqualTo(1);
            assertThat(notBlocked.err()).isEqualTo("tollgate: user bob is not blocked (404)\n");

            tokenApi.route("/admin/users/blocked", r -> new FakeAdminServer.Answer(200, "{\"blocked\":[" + alice
                    + ",{\"user\":\"bob\",\"reason\":null,\"operator\":\"ops\","
                    + "\"blockedAt\":\"2026-12-06T21:05:00Z\"}]}"));
            CliRunner.Result table = CliRunner.run(env("pw"), "users", "--token-api", base);
            assertThat(table.code()).as(table.err()).isZero();
            List<String> lines = table.out().lines().toList();
            assertThat(lines.get(0)).matches("USER\\s+BLOCKED AT\\s+OPERATOR\\s+REASON\\s*");
            assertThat(lines.get(1)).matches("alice\\s+2026-12-06T21:00:00.123Z\\s+olga\\s+fraud");
            assertThat(lines.get(2)).matches("bob\\s+2026-12-06T21:05:00Z\\s+ops\\s+-");
            JsonNode json = Json.mapper().readTree(CliRunner.run(env("pw"), "users", "--token-api", base, "--json")
                    .out());
            assertThat(json).extracting(n -> n.get("user").asText()).containsExactly("alice", "bob");
            assertThat(tokenApi.requests.get(tokenApi.requests.size() - 1).method()).isEqualTo("GET");

            tokenApi.route("/admin/users/blocked", r -> new FakeAdminServer.Answer(200, "{\"blocked\":[]}"));
            assertThat(CliRunner.run(env("pw"), "users", "--token-api", base).out()).isEqualTo("no blocked users\n");
        }
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
            CliRunner.Result result = CliRunner.run(env("pw-of-olga"), new StringWriter(), progress,
                    "rebuild-projection", "-u", "olga", "--poll-ms", "50",
                    "--health-url", "revocation-stream=" + stream.url("/healthcheck"));
            assertThat(result.code()).as(result.err()).isZero();
            assertThat(stream.requests).singleElement().satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/tasks/rebuild-projection");
                assertThat(r.authorization()).isEqualTo(basic("olga", "pw-of-olga"));
            });
            assertThat(result.err()).contains(" 25%", " 75%", "] 100%");
            assertThat(result.out()).contains("projection rebuilt");
        }
    }

    @Test
    void aRebuildFollowedInTheWrongRedisIsAClearErrorNotAHang() throws Exception {
        try (FakeAdminServer stream = new FakeAdminServer()) {
            stream.route("/tasks/rebuild-projection", r -> new FakeAdminServer.Answer(200, ""));
            try (Jedis jedis = REDIS.jedis()) {
                jedis.del(RedisKeys.PROJECTION); // a Redis revocation-stream does not write to
            }
            CliRunner.Result result = CliRunner.run(env("pw"), "rebuild-projection", "--poll-ms", "50",
                    "--absent-grace-ms", "1000", "--health-url", "revocation-stream=" + stream.url("/healthcheck"));
            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).startsWith("tollgate: revocation-stream accepted the rebuild, but Redis at ")
                    .contains("has no tg:projection after 1 s", "TOLLGATE_REDIS_PORT");
        }
    }

    @Test
    void aRebuildTaskThatFailsIsAClearError() throws Exception {
        try (FakeAdminServer stream = new FakeAdminServer()) {
            stream.route("/tasks/rebuild-projection", r -> new FakeAdminServer.Answer(500, "{\"code\":500}"));
            CliRunner.Result result = CliRunner.run(env("pw"), "rebuild-projection",
                    "--health-url", "revocation-stream=" + stream.url("/healthcheck"));
            assertThat(result.code()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("tollgate: revocation-stream answered 500 to "
                    + stream.url("/tasks/rebuild-projection") + "\n");
        }
    }

    /** revocation-stream's admin tasks answer as its operator filter does (shared OperatorTaskFilter). */
    @Test
    void aRefusedRebuildIsOneClearLineAndFollowsNothing() throws Exception {
        try (FakeAdminServer stream = new FakeAdminServer()) {
            String health = "revocation-stream=" + stream.url("/healthcheck");
            try (Jedis jedis = REDIS.jedis()) {
                jedis.hset(RedisKeys.PROJECTION, Map.of("state", "ready", "updatedAt", "1"));
            }
            Map<Integer, String> bodies = Map.of(
                    401, "{\"error\":\"unauthorized\",\"error_description\":\"wrong operator name or password\"}",
                    403, "{\"error\":\"forbidden\",\"error_description\":\"admin tasks are disabled: no operator "
                            + "accounts are configured\"}",
                    429, "{\"error\":\"too_many_attempts\",\"error_description\":\"too many wrong operator passwords "
                            + "from this address; retry in 60 s\"}");
            Map<Integer, String> lines = Map.of(
                    401, "tollgate: revocation-stream refused the operator credentials of 'ops' (401): unauthorized "
                            + "(wrong operator name or password)\n",
                    403, "tollgate: revocation-stream refused the rebuild (403): forbidden (admin tasks are disabled: "
                            + "no operator accounts are configured)\n",
                    429, "tollgate: revocation-stream refused the rebuild (429): too_many_attempts (too many wrong "
                            + "operator passwords from this address; retry in 60 s)\n");
            for (int status : bodies.keySet()) {
                stream.route("/tasks/rebuild-projection", r -> new FakeAdminServer.Answer(status, bodies.get(status)));
                CliRunner.Result refused = CliRunner.run(env("a-wrong-password"), "rebuild-projection", "--poll-ms",
                        "50", "--health-url", health);
                assertThat(refused.code()).as("status " + status).isEqualTo(1);
                assertThat(refused.err()).isEqualTo(lines.get(status)).doesNotContain("a-wrong-password");
                assertThat(refused.out()).isEmpty();
            }
            assertThat(stream.requests).hasSize(3).allSatisfy(r ->
                    assertThat(r.authorization()).isEqualTo(basic("ops", "a-wrong-password")));

            // no password and no terminal: nothing is sent
            CliRunner.Result none = CliRunner.run(env(null), "rebuild-projection", "--health-url", health);
            assertThat(none.code()).isEqualTo(1);
            assertThat(none.err()).isEqualTo("tollgate: no operator password: set TOLLGATE_OPERATOR_PASSWORD or run on "
                    + "a terminal to be prompted\n");
            assertThat(stream.requests).hasSize(3);
        }
    }

    private static String basic(String name, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((name + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void approveSendsThePlanAndVersionItShowsAndEveryRefusalIsAClearError() throws Exception {
        String path = "/portal/api/admin/subscriptions/sub-1/approve";
        String queue = "/portal/api/admin/subscriptions";
        try (FakeAdminServer tokenApi = new FakeAdminServer()) {
            tokenApi.route(queue, r -> new FakeAdminServer.Answer(200, "{\"subscriptions\":[{\"subscriptionId\":"
                    + "\"sub-0\",\"clientId\":\"app-0\",\"api\":\"mobile\",\"planId\":\"basic\",\"status\":"
                    + "\"PENDING\",\"updatedAt\":\"2026-11-29T11:00:00Z\",\"version\":1},{\"subscriptionId\":\"sub-1\","
                    + "\"clientId\":\"app-1\",\"api\":\"mobile\",\"planId\":\"gold\",\"status\":\"PENDING\","
                    + "\"updatedAt\":\"2026-11-29T11:00:00Z\",\"version\":3}]}"));
            // the portal's admin changes need a session's CSRF token: the CLI logs in as the operator first
            tokenApi.route("/portal/api/login", r -> new FakeAdminServer.Answer(200, "{\"email\":\"olga\","
                    + "\"admin\":true,\"csrfToken\":\"csrf-1\"}", "tg_portal=session-1; Path=/portal; HttpOnly"));
            tokenApi.route("/portal/api/logout", r -> new FakeAdminServer.Answer(204, ""));
            tokenApi.route(path, r -> new FakeAdminServer.Answer(200, "{\"subscriptionId\":\"sub-1\","
                    + "\"clientId\":\"app-1\",\"api\":\"mobile\",\"planId\":\"gold\",\"status\":\"APPROVED\","
                    + "\"updatedAt\":\"2026-11-29T12:00:00Z\",\"version\":4}"));
            String base = tokenApi.url("");
            // no --plan/--version: it logs in to the portal, reads the subscription, shows plan and version, sends
            // exactly those with Basic, the session cookie and its CSRF token, and logs out
            CliRunner.Result ok = CliRunner.run(env("pw-of-\"olga\\"), "approve", "--token-api", base, "-u", "olga",
                    "sub-1");
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(ok.out()).isEqualTo("reviewing sub-1: client app-1, API mobile, plan gold, version 3, PENDING\n"
                    + "approved sub-1 (client app-1, API mobile, plan gold, reviewed version 3)\n");
            String olga = "Basic " + java.util.Base64.getEncoder()
                    .encodeToString("olga:pw-of-\"olga\\".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(tokenApi.requests).hasSize(4);
            assertThat(tokenApi.requests.get(0)).satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/portal/api/login");
                assertThat(r.contentType()).isEqualTo("application/json");
                assertThat(Json.mapper().readTree(r.body())).isEqualTo(Json.mapper().readTree(
                        "{\"email\":\"olga\",\"password\":\"pw-of-\\\"olga\\\\\"}"));
            });
            assertThat(tokenApi.requests.get(1)).satisfies(r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.path()).isEqualTo(queue);
                assertThat(r.authorization()).isEqualTo(olga);
            });
            assertThat(tokenApi.requests.get(2)).satisfies(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo(path);
                assertThat(r.authorization()).isEqualTo(olga);
                assertThat(r.cookie()).isEqualTo("tg_portal=session-1");
                assertThat(r.csrf()).isEqualTo("csrf-1");
                assertThat(r.contentType()).isEqualTo("application/json");
                assertThat(Json.mapper().readTree(r.body())).isEqualTo(Json.mapper().readTree(
                        "{\"planId\":\"gold\",\"version\":3}"));
            });
            assertThat(tokenApi.requests.get(3)).satisfies(r -> {
                assertThat(r.path()).isEqualTo("/portal/api/logout");
                assertThat(r.cookie()).isEqualTo("tg_portal=session-1");
                assertThat(r.csrf()).isEqualTo("csrf-1");
            });

            // --plan/--version as reviewed earlier: sent as given, nothing read first
            tokenApi.requests.clear();
            CliRunner.Result given = CliRunner.run(env("pw"), "approve", "--token-api", base, "--plan", "gold",
                    "--version", "2", "sub-1", "--json");
            assertThat(given.code()).as(given.err()).isZero();
            JsonNode json = Json.mapper().readTree(given.out());
            assertThat(json.get("approved").asText()).isEqualTo("subscription");
            assertThat(json.get("reviewed").get("version").asLong()).isEqualTo(2);
            assertThat(json.get("subscription").get("version").asLong()).isEqualTo(4);
            assertThat(tokenApi.requests).extracting(FakeAdminServer.Request::path)
                    .containsExactly("/portal/api/login", path, "/portal/api/logout");
            assertThat(tokenApi.requests.get(1)).satisfies(r -> {
                assertThat(r.csrf()).isEqualTo("csrf-1");
                assertThat(Json.mapper().readTree(r.body())).isEqualTo(Json.mapper().readTree(
                        "{\"planId\":\"gold\",\"version\":2}"));
            });
            CliRunner.Result half = CliRunner.run(env("pw"), "approve", "--token-api", base, "--plan", "gold", "sub-1");
            assertThat(half.code()).isEqualTo(2);
            assertThat(half.err()).contains("--plan and --version go together");

            // reject: the same binding
            tokenApi.route("/portal/api/admin/subscriptions/sub-1/reject", r -> new FakeAdminServer.Answer(200,
                    "{\"subscriptionId\":\"sub-1\",\"clientId\":\"app-1\",\"api\":\"mobile\",\"planId\":\"gold\","
                            + "\"status\":\"REJECTED\",\"updatedAt\":\"2026-11-29T12:00:00Z\",\"version\":4}"));
            CliRunner.Result rejected = CliRunner.run(env("pw"), "reject", "--token-api", base, "sub-1");
            assertThat(rejected.code()).as(rejected.err()).isZero();
            assertThat(rejected.out()).endsWith("rejected sub-1 (client app-1, API mobile, plan gold, reviewed version 3)\n");

            // not in the operator's queue: unknown, or its application was deleted
            CliRunner.Result unknown = CliRunner.run(env("pw"), "approve", "--token-api", base, "sub-nope");
            assertThat(unknown.code()).isEqualTo(1);
            assertThat(unknown.err()).isEqualTo("tollgate: no subscription sub-nope (404: unknown id, or its "
                    + "application was deleted)\n");
            assertThat(unknown.out()).isEmpty();

            Map<Integer, String> refusals = Map.of(
                    401, "tollgate: token-api refused the operator credentials of 'ops' (401): unauthorized "
                            + "(operator authentication required)\n",
                    403, "tollgate: operator 'ops' may not do this (403): forbidden (operators only)\n",
                    404, "tollgate: no subscription sub-1 (404: unknown id, or its application was deleted)\n",
                    409, "tollgate: subscription sub-1 changed since plan gold version 3 was reviewed; it was not "
                            + "approved (409): subscription_changed (now plan platinum at version 4)\n",
                    503, "tollgate: token-api answered 503 for " + path + ": temporarily_unavailable (registry)\n");
            Map<Integer, String> bodies = Map.of(401, "unauthorized\",\"error_description\":\"operator authentication required",
                    403, "forbidden\",\"error_description\":\"operators only",
                    404, "not_found",
                    409, "subscription_changed\",\"error_description\":\"now plan platinum at version 4",
                    503, "temporarily_unavailable\",\"error_description\":\"registry");
            for (int status : refusals.keySet()) {
                tokenApi.route(path, r -> new FakeAdminServer.Answer(status, "{\"error\":\"" + bodies.get(status) + "\"}"));
                CliRunner.Result refused = CliRunner.run(env("a-wrong-password"), "approve", "--token-api", base,
                        "--plan", "gold", "--version", "3", "sub-1");
                assertThat(refused.code()).as("status " + status).isEqualTo(1);
                assertThat(refused.err()).isEqualTo(refusals.get(status)).doesNotContain("a-wrong-password");
                assertThat(refused.out()).isEmpty();
                // a refused decision still ends the portal session
                assertThat(tokenApi.requests.get(tokenApi.requests.size() - 1).path()).isEqualTo("/portal/api/logout");
            }
            tokenApi.route(queue, r -> new FakeAdminServer.Answer(401, "{\"error\":\"unauthorized\"}"));
            CliRunner.Result noQueue = CliRunner.run(env("pw"), "approve", "--token-api", base, "sub-1");
            assertThat(noQueue.code()).isEqualTo(1);
            assertThat(noQueue.err()).startsWith("tollgate: token-api refused the operator credentials of 'ops' (401)");
            tokenApi.route(path, r -> new FakeAdminServer.Answer(200, "<html>not json</html>"));
            CliRunner.Result garbage = CliRunner.run(env("pw"), "approve", "--token-api", base, "--plan", "gold",
                    "--version", "3", "sub-1");
            assertThat(garbage.code()).isEqualTo(1);
            assertThat(garbage.err()).isEqualTo("tollgate: token-api answered the approval of sub-1 with no JSON\n");

            // a refused portal log-in is the 401 line, and no approval is sent
            tokenApi.route("/portal/api/login", r -> new FakeAdminServer.Answer(401, "{\"error\":\"invalid_credentials\","
                    + "\"error_description\":\"wrong e-mail or password\"}"));
            int before = tokenApi.requests.size();
            CliRunner.Result login = CliRunner.run(env("a-wrong-password"), "approve", "--token-api", base, "sub-1");
            assertThat(login.code()).isEqualTo(1);
            assertThat(login.err()).isEqualTo("tollgate: token-api refused the operator credentials of 'ops' (401): "
                    + "invalid_credentials (wrong e-mail or password)\n");
            assertThat(tokenApi.requests.subList(before, tokenApi.requests.size()))
                    .extracting(FakeAdminServer.Request::path).containsExactly("/portal/api/login");
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
