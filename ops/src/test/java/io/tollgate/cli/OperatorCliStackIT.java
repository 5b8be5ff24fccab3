package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.tollgate.ops.e2e.PortalDeveloper;
import io.tollgate.ops.e2e.SharedStack;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventSerde;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.FreePorts;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator CLI against the real services of {@link SharedStack}: token-api's operator API, the registry topic
 * on the real broker, the portal's operator approval endpoint, revocation-stream's rebuild task, Redis as the services write it, every service's
 * healthcheck. Each command is checked for its human table or sentence, its {@code --json}, its exit code, and its
 * effect where users feel it (a revoked token is refused by the gateway, an approved client gets tokens, a rebuilt
 * Redis refuses the revoked tokens again). Runs after {@code MissionIT} and {@code PortalJourneyIT}: it revokes
 * users and flushes Redis.
 */
@ExtendWith(SharedStack.class)
@Order(SharedStack.OPERATOR_CLI)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCliStackIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PASSWORD = "ops-secret";

    private static StackConfig config;
    private static PortalDeveloper developer;
    /** Fresh public apps, each subscribed to mobile/basic: one per revocation scope, so the checks stay apart. */
    private static String userClientApp;
    private static String familiesApp;
    private static String clientApp;
    private static Tokens bobRevoked;

    @BeforeAll
    static void apps() throws Exception {
        config = SharedStack.config();
        developer = PortalDeveloper.signUp(config);
        userClientApp = app("CLI user-client");
        familiesApp = app("CLI families");
        clientApp = app("CLI client");
    }

    private static String app(String name) throws Exception {
        String client = developer.registerPublicApp(name);
        assertThat(developer.subscribe(client, "mobile", "basic").path("status").asText()).isEqualTo("APPROVED");
        return client;
    }

    private static Map<String, String> env(String password) {
        Map<String, String> env = new HashMap<>(config.serviceEnvironment());
        if (password != null) {
            env.put("TOLLGATE_OPERATOR_PASSWORD", password);
        }
        return env;
    }

    private static CliRunner.Result cli(String... args) {
        return CliRunner.run(env(PASSWORD), args);
    }

    @Test
    @Order(1)
    void healthListsEveryServiceHealthyAndADownOneFails() throws Exception {
        CliRunner.Result table = cli("health");
        assertThat(table.code()).as(table.out() + table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("SERVICE\\s+STATUS\\s+URL\\s+DETAIL\\s*");
        assertThat(lines).hasSize(1 + ServiceSpec.ALL.size());
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(lines).anySatisfy(l -> assertThat(l).matches(spec.module() + "\\s+healthy\\s+"
                    + java.util.regex.Pattern.quote(config.healthUrl(spec.module())) + "\\s*"));
        }

        CliRunner.Result json = cli("health", "--json");
        assertThat(json.code()).isZero();
        JsonNode services = Json.mapper().readTree(json.out());
        assertThat(services).hasSize(ServiceSpec.ALL.size());
        for (JsonNode s : services) {
            assertThat(s.get("status").asText()).as(s.toString()).isEqualTo("healthy");
            assertThat(s.get("url").asText()).isEqualTo(config.healthUrl(s.get("service").asText()));
            assertThat(s.get("failing")).isEmpty();
        }

        CliRunner.Result down = cli("health", "--health-url", "gateway=http://127.0.0.1:" + FreePorts.find() + "/healthcheck");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.out()).containsPattern("gateway\\s+down\\s+.*not reachable").containsPattern("token-api\\s+healthy");
        assertThat(down.err()).contains("tollgate: 1 of 4 services are not healthy");
    }

    @Test
    @Order(2)
    void aWrongOperatorPasswordFailsClearlyAndChangesNothing() throws Exception {
        Tokens bob = login(userClientApp, "bob");
        CliRunner.Result wrong = CliRunner.run(env("not-the-ops-password"), "revoke-user", "bob");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).startsWith("tollgate: token-api refused the operator credentials of 'ops' (401)")
                .doesNotContain("not-the-ops-password");
        assertThat(wrong.out()).isEmpty();

        CliRunner.Result none = CliRunner.run(env(null), "revoke-user", "bob");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no operator password: set TOLLGATE_OPERATOR_PASSWORD");

        CliRunner.Result unreachable = cli("revoke-user", "bob", "--token-api", "http://127.0.0.1:" + FreePorts.find());
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("token-api is not reachable at");

        assertThat(gateway(bob)).as("bob's token still works").isEqualTo(200);
    }

    @Test
    @Order(3)
    void revokeUserKillsEveryTokenOfBobAtTheGateway() throws Exception {
        Tokens bob = login(userClientApp, "bob");
        Tokens bobDemo = login(DemoRegistry.CLIENT_ID, "bob");
        assertThat(gateway(bob)).isEqualTo(200);

        CliRunner.Result revoked = cli("revoke-user", "bob", "--reason", "lost phone (cli e2e)");
        assertThat(revoked.code()).as(revoked.err()).isZero();
        assertThat(revoked.out()).isEqualTo("revoked every token of user bob; gateways enforce it within 1 s\n");
        assertThat(revoked.err()).isEmpty();

        eventually(() -> gateway(bob) == 401, "bob's token refused by the gateway");
        eventually(() -> gateway(bobDemo) == 401, "bob's token of the demo app refused too");
        assertThat(refreshError(userClientApp, bob)).isEqualTo("invalid_grant");
        bobRevoked = bob;
    }

    @Test
    @Order(4)
    void revokeUserForOneClientLeavesTheOtherAppsAndPrintsJson() throws Exception {
        Tokens here = login(userClientApp, "alice");
        Tokens elsewhere = login(clientApp, "alice");

        CliRunner.Result json = cli("revoke-user", "alice", "--client", userClientApp, "--json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode answer = Json.mapper().readTree(json.out());
        assertThat(answer.get("revoked").asText()).isEqualTo("user");
        assertThat(answer.get("user").asText()).isEqualTo("alice");
        assertThat(answer.get("client").asText()).isEqualTo(userClientApp);
        assertThat(answer.path("reason").isMissingNode() || answer.get("reason").isNull()).as("no reason given").isTrue();

        eventually(() -> gateway(here) == 401, "alice's token of " + userClientApp + " refused");
        assertThat(gateway(elsewhere)).as("her token of another app").isEqualTo(200);
    }

    @Test
    @Order(5)
    void revokeClientKillsEveryTokenOfTheClient() throws Exception {
        Tokens alice = login(clientApp, "alice");
        Tokens otherApp = login(familiesApp, "alice");

        CliRunner.Result table = cli("revoke-client", clientApp, "--reason", "leaked build");
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).isEqualTo("revoked every token of client " + clientApp + "; gateways enforce it within 1 s\n");
        eventually(() -> gateway(alice) == 401, "the client's token refused");
        assertThat(gateway(otherApp)).as("another client's token").isEqualTo(200);

        CliRunner.Result json = cli("revoke-client", clientApp, "--json");
        assertThat(json.code()).isZero();
        assertThat(Json.mapper().readTree(json.out()).get("client").asText()).isEqualTo(clientApp);
    }

    @Test
    @Order(6)
    void familiesListsAlicesLiveFamiliesOnly() throws Exception {
        Tokens first = login(familiesApp, "alice");
        Tokens second = login(familiesApp, "alice");
        String firstSid = sid(first);
        String secondSid = sid(second);
        // RFC 7009 with the refresh token: the first family dies.
        assertThat(new TokenRevocationRequest(URI.create(config.issuer() + "/oauth2/revoke"), new ClientID(familiesApp),
                first.getRefreshToken()).toHTTPRequest().send().getStatusCode()).isEqualTo(200);

        List<String> live = new ArrayList<>();
        eventually(() -> {
            live.clear();
            CliRunner.Result json = cli("families", "alice", "--client", familiesApp, "--json");
            assertThat(json.code()).as(json.err()).isZero();
            Json.mapper().readTree(json.out()).forEach(f -> live.add(f.get("familyId").asText()));
            return !live.contains(firstSid);
        }, "the revoked family gone from the list");
        // Earlier checks of this class logged alice in with this app once more (revoke-client): that family is live too.
        assertThat(live).contains(secondSid).doesNotContain(firstSid);

        CliRunner.Result table = cli("families", "alice", "--client", familiesApp);
        assertThat(table.code()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("FAMILY\\s+CLIENT\\s+CREATED\\s+REFRESH EXPIRES\\s+GEN\\s+SCOPE\\s+PLAN\\s*");
        assertThat(lines).hasSize(1 + live.size());
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(java.util.regex.Pattern.quote(secondSid) + "\\s+"
                + familiesApp + "\\s+\\S+Z\\s+\\S+Z\\s+\\d+\\s+read\\s+basic\\s*"));

        // Across all her apps: nothing of the app whose tokens of hers were revoked, nor of the revoked client.
        CliRunner.Result all = cli("families", "alice");
        assertThat(all.out()).contains(secondSid).doesNotContain(userClientApp).doesNotContain(clientApp);

        CliRunner.Result nobody = cli("families", "nobody-at-all");
        assertThat(nobody.code()).isZero();
        assertThat(nobody.out()).isEqualTo("no live token families for user nobody-at-all\n");
    }

    @Test
    @Order(7)
    void approveMakesAPendingSubscriptionActive() throws Exception {
        PlanRecord gold = new PlanRecord("cli-gold", "mobile", "Gold (needs approval)", Set.of("read"), 100, 0, 0, 3,
                true, DemoRegistry.GRANT_TYPES);
        KafkaFactory kafka = new KafkaFactory();
        kafka.bootstrapServers = config.kafkaBootstrap();
        try (Producer<String, Event<?>> producer = new KafkaProducer<>(kafka.producerProperties("cli-e2e"),
                new StringSerializer(), EventSerde.INSTANCE.serializer())) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), gold.subject(),
                    Event.of(Event.source("ops", "cli-e2e"), gold))).get();
        }
        String client = developer.registerPublicApp("CLI pending");
        String subscription = pendingSubscription(client, "cli-gold");
        assertThat(loginError(client, "alice")).isEqualTo("unauthorized_client");

        // A wrong operator password changes nothing.
        CliRunner.Result wrong = CliRunner.run(env("not-the-ops-password"), "approve", subscription);
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).startsWith("tollgate: token-api refused the operator credentials of 'ops' (401)")
                .doesNotContain("not-the-ops-password");
        assertThat(wrong.out()).isEmpty();
        assertThat(developer.app(client).get("subscriptions").get(0).get("status").asText()).isEqualTo("PENDING");

        // token-api answers once its own registry view has the approval: the portal shows it at once.
        CliRunner.Result approved = cli("approve", "-u", "ops", subscription);
        assertThat(approved.code()).as(approved.err()).isZero();
        assertThat(approved.out()).isEqualTo("reviewing " + subscription + ": client " + client + ", API mobile, plan "
                + "cli-gold, version 1, PENDING\napproved " + subscription + " (client " + client
                + ", API mobile, plan cli-gold, reviewed version 1)\n");
        assertThat(developer.app(client).get("subscriptions").get(0).get("status").asText()).isEqualTo("APPROVED");
        eventually(() -> loginError(client, "alice") == null, "a password grant with the approved client");
        assertThat(gateway(login(client, "alice"))).isEqualTo(200);

        // A decision naming the version reviewed before the approval is refused: nothing changes.
        CliRunner.Result stale = cli("reject", "--plan", "cli-gold", "--version", "1", subscription);
        assertThat(stale.code()).isEqualTo(1);
        assertThat(stale.err()).startsWith("tollgate: subscription " + subscription + " changed since plan cli-gold "
                + "version 1 was reviewed; it was not rejected (409): subscription_changed");
        assertThat(developer.app(client).get("subscriptions").get(0).get("status").asText()).isEqualTo("APPROVED");

        CliRunner.Result again = cli("approve", subscription, "--json");
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode json = Json.mapper().readTree(again.out());
        assertThat(json.get("reviewed").get("version").asLong()).isEqualTo(2);
        assertThat(json.get("subscription").get("version").asLong()).isEqualTo(3);
        assertThat(json.get("approved").asText()).isEqualTo("subscription");
        assertThat(json.get("subscription").get("subscriptionId").asText()).isEqualTo(subscription);
        assertThat(json.get("subscription").get("clientId").asText()).isEqualTo(client);
        assertThat(json.get("subscription").get("status").asText()).isEqualTo("APPROVED");

        CliRunner.Result unknown = cli("approve", "sub-no-such-thing");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("tollgate: no subscription sub-no-such-thing (404: unknown id, or its "
                + "application was deleted)\n");

        // The subscription of a deleted app stays deleted (the CLI must not resurrect it from the registry topic).
        String doomed = developer.registerPublicApp("CLI deleted");
        String orphan = pendingSubscription(doomed, "cli-gold");
        developer.deleteApp(doomed);
        CliRunner.Result deleted = cli("approve", orphan);
        assertThat(deleted.code()).isEqualTo(1);
        assertThat(deleted.err()).startsWith("tollgate: no subscription " + orphan + " (404");
        assertThat(loginError(doomed, "alice")).isNotNull();
    }

    /** Subscribes {@code client} to a plan needing approval (once token-api's view has the plan); its id. */
    private static String pendingSubscription(String client, String plan) throws Exception {
        JsonNode[] pending = new JsonNode[1];
        eventually(() -> {
            try {
                pending[0] = developer.subscribe(client, "mobile", plan);
                return true;
            } catch (AssertionError notYetInTheView) {
                return false;
            }
        }, "the new plan in token-api's registry view");
        assertThat(pending[0].get("status").asText()).isEqualTo("PENDING");
        return pending[0].get("subscriptionId").asText();
    }

    @Test
    @Order(8)
    void auditFindsTheOperatorsRevocationOfBob() throws Exception {
        CliRunner.Result audit = cli("audit", "--user", "bob", "--type", "revocation", "--json");
        assertThat(audit.code()).as(audit.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : audit.out().lines().toList()) {
            lines.add(Json.mapper().readTree(line));
        }
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.get("topic").asText()).isEqualTo(Topics.REVOCATIONS.name());
            assertThat(l.get("data").get("actor").asText()).isEqualTo("ops");
            assertThat(l.get("data").get("reason").asText()).isEqualTo("lost phone (cli e2e)");
        });
    }

    @Test
    @Order(9)
    void rebuildProjectionAfterARedisFlushRestoresTheRevocations() throws Exception {
        assertThat(bobRevoked).as("revoke-user ran first").isNotNull();
        Tokens live = login(familiesApp, "alice");
        try (Jedis jedis = new Jedis(config.redisHost, config.redisPort)) {
            assertThat(jedis.exists(RedisKeys.userNotBefore("bob"))).isTrue();
            jedis.flushAll();
        }

        // revocation-stream's tasks need an operator: a wrong password or an unknown operator starts nothing
        long requested = rebuildRequests();
        CliRunner.Result wrong = CliRunner.run(env("not-" + PASSWORD), "rebuild-projection");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).isEqualTo("tollgate: revocation-stream refused the operator credentials of 'ops' (401): "
                + "unauthorized (wrong operator name or password)\n");
        CliRunner.Result unknown = cli("rebuild-projection", "-u", "nobody");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("tollgate: revocation-stream refused the operator credentials of 'nobody' (401)");
        assertThat(rebuildRequests()).as("the task never ran").isEqualTo(requested);

        CliRunner.Result rebuilt = cli("rebuild-projection", "-u", "ops");
        assertThat(rebuilt.code()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.err()).contains("[##############################] 100%");
        assertThat(rebuilt.out()).isEqualTo("projection rebuilt: tg:projection is ready\n");
        try (Jedis jedis = new Jedis(config.redisHost, config.redisPort)) {
            assertThat(jedis.hget(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD)).isEqualTo("ready");
            assertThat(jedis.exists(RedisKeys.userNotBefore("bob"))).as("bob's revocation").isTrue();
            assertThat(jedis.exists(RedisKeys.userClientNotBefore("alice", userClientApp))).isTrue();
            assertThat(jedis.exists(RedisKeys.clientNotBefore(clientApp))).isTrue();
            assertThat(jedis.exists(RedisKeys.family(sid(live)))).as("alice's live family").isTrue();
        }
        eventually(() -> gateway(bobRevoked) == 401, "bob's revoked token refused again (not 503, not 200)");
        eventually(() -> gateway(live) == 200, "alice's live token accepted again");

        CliRunner.Result json = cli("rebuild-projection", "--json");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.err()).as("no bar in JSON mode").isEmpty();
        JsonNode state = Json.mapper().readTree(json.out());
        assertThat(state.get("state").asText()).isEqualTo("ready");
    }

    /** revocation-stream's count of rebuilds asked for through its task, from its (open) Dropwizard metrics. */
    private static long rebuildRequests() throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":"
                + config.adminPort("revocation-stream") + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return Json.mapper().readTree(metrics.body()).path("counters").path("projection.rebuild.requests").path("count")
                .asLong(-1);
    }

    // --- the mobile app and the gateway ----------------------------------------------------------------

    private static TokenResponse grant(String client, String user) throws Exception {
        return TokenResponse.parse(new TokenRequest(URI.create(config.issuer() + "/oauth2/token"), new ClientID(client),
                new ResourceOwnerPasswordCredentialsGrant(user, new Secret(user + "-secret"))).toHTTPRequest().send());
    }

    private static Tokens login(String client, String user) throws Exception {
        TokenResponse response = grant(client, user);
        assertThat(response.indicatesSuccess()).as(user + " logs in with " + client).isTrue();
        return response.toSuccessResponse().getTokens();
    }

    private static String loginError(String client, String user) throws Exception {
        TokenResponse response = grant(client, user);
        return response.indicatesSuccess() ? null : response.toErrorResponse().getErrorObject().getCode();
    }

    private static String refreshError(String client, Tokens tokens) throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(URI.create(config.issuer() + "/oauth2/token"),
                new ClientID(client), new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send());
        return response.indicatesSuccess() ? null : response.toErrorResponse().getErrorObject().getCode();
    }

    private static int gateway(Tokens tokens) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":" + config.port("gateway")
                        + "/mobile/cli")).header("Authorization", "Bearer " + tokens.getAccessToken().getValue())
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String sid(Tokens tokens) throws Exception {
        return SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet().getStringClaim("sid");
    }

    @Test
    @Order(10)
    void applyDiffAndExportGoThroughTokenApiAndAnExportIsNoChange() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cli-config");
        CliRunner.Result exported = cli("export", "--json");
        assertThat(exported.code()).as(exported.err()).isZero();
        com.fasterxml.jackson.databind.node.ObjectNode file =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(exported.out());
        assertThat(file.get("plans")).anySatisfy(p -> assertThat(p.get("id").asText()).isEqualTo("basic"));
        com.fasterxml.jackson.databind.node.ArrayNode apis = (com.fasterxml.jackson.databind.node.ArrayNode) file.get("apis");
        boolean mobileListed = false;
        for (JsonNode api : apis) {
            mobileListed |= api.get("name").asText().equals(DemoRegistry.API);
        }
        if (!mobileListed) {
            // a registry that has the demo plans but no record of their API yet: the file must name it
            apis.add(Json.mapper().readTree("{\"name\": \"mobile\", \"pathPrefix\": \"/mobile/\", \"upstreams\": [\""
                    + config.upstreamUrl() + "\"], \"scopes\": {\"GET\": \"read\", \"HEAD\": \"read\", \"*\": \"write\"}, "
                    + "\"requiredGroup\": \"mobile-users\"}"));
        }
        apis.add(Json.mapper().readTree("""
                {"name": "cli-orders", "pathPrefix": "/cli-orders/", "upstreams": ["http://127.0.0.1:9"],
                 "scopes": {"*": "orders"}}"""));
        ((com.fasterxml.jackson.databind.node.ArrayNode) file.get("plans")).add(Json.mapper().readTree("""
                {"id": "cli-orders-gold", "api": "cli-orders", "name": "CLI Orders", "scopes": ["orders"],
                 "limits": {"perMinute": 5}, "requiresApproval": true, "grants": ["password"]}"""));
        java.nio.file.Path desired = dir.resolve("tollgate.yaml");
        java.nio.file.Files.writeString(desired, new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).writeValueAsString(file));

        CliRunner.Result diff = cli("diff", "-f", desired.toString());
        assertThat(diff.code()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("+ api cli-orders", "+ plan cli-orders-gold").doesNotContain("- ");

        CliRunner.Result applied = cli("apply", "-f", desired.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("+ api cli-orders", "+ plan cli-orders-gold", "as operator ops");

        java.nio.file.Path again = dir.resolve("exported.yaml");
        CliRunner.Result export = cli("export", "-o", again.toString());
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(java.nio.file.Files.readString(again)).contains("cli-orders-gold", "requiresApproval: true");
        CliRunner.Result unchanged = cli("diff", "-f", again.toString());
        assertThat(unchanged.code()).as(unchanged.err()).isZero();
        assertThat(unchanged.out()).startsWith("no changes");

        // the file is the whole state: without the new API and plan, apply deletes them again
        String without = java.nio.file.Files.readString(desired);
        apis.remove(apis.size() - 1);
        com.fasterxml.jackson.databind.node.ArrayNode plans = (com.fasterxml.jackson.databind.node.ArrayNode) file.get("plans");
        plans.remove(plans.size() - 1);
        java.nio.file.Files.writeString(desired, new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).writeValueAsString(file));
        assertThat(java.nio.file.Files.readString(desired)).isNotEqualTo(without);
        CliRunner.Result removed = cli("apply", "-f", desired.toString(), "--json");
        assertThat(removed.code()).as(removed.err()).isZero();
        assertThat(Json.mapper().readTree(removed.out()).get("changes")).extracting(c -> c.get("change").asText()
                + " " + c.get("kind").asText() + " " + c.get("name").asText())
                .containsExactly("deleted plan cli-orders-gold", "deleted api cli-orders");
    }

    private static void eventually(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.call())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " did not happen within 20 s");
    }
}
