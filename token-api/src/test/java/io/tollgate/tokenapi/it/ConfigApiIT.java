package io.tollgate.tokenapi.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventType;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.shared.topics.Topics;
import io.tollgate.tokenapi.OperatorHttp;
import io.tollgate.tokenapi.TokenApiTestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The declarative control plane on a real broker of its own (its applies delete the demo plans, which the other ITs
 * on the shared broker need): {@code GET /admin/config}, {@code POST /admin/config/diff} and {@code PUT /admin/config}
 * as an operator, the registry records they write, read back through the same view, and the {@code operator.action}
 * of every change; an invalid file and an unchanged one write nothing to {@code tollgate.registry}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigApiIT {
    @RegisterExtension
    static final TokenApiTestStack STACK = TokenApiTestStack.builder("config-api-it").dedicatedKafka(1)
            .registry(new ApiRecord("mobile", "/mobile/", List.of("http://127.0.0.1:9000"),
                    Map.of("GET", "read", "HEAD", "read", "*", "write"), "mobile-users", false, false))
            .build();

    private static final OperatorHttp OPERATOR = new OperatorHttp(STACK.baseUrl());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "ops-secret";

    @Test
    @Order(1)
    void onlyAnOperatorWithJsonGetsIn() throws Exception {
        OperatorHttp.Answer anonymous = OPERATOR.send("GET", "/admin/config", null, "wrong-password");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.challenge()).startsWith("Basic");
        assertThat(OPERATOR.send("PUT", "/admin/config", "{\"apis\":[],\"plans\":[]}", "wrong-password").status())
                .isEqualTo(401);
        // a body that is not application/json: 415 before anything else
        HttpResponse<String> yaml = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(STACK.baseUrl() + "/admin/config")).header("Content-Type", "text/yaml")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("ops:" + PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .PUT(HttpRequest.BodyPublishers.ofString("apis: []")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(yaml.statusCode()).isEqualTo(415);
    }

    @Test
    @Order(2)
    void theExportIsTheDemoRegistryInTheFilesShape() {
        JsonNode config = export();

        assertThat(api(config, "mobile").at("/scopes/GET").asText()).isEqualTo("read");
        JsonNode basic = plan(config, "basic");
        assertThat(basic.path("api").asText()).isEqualTo("mobile");
        assertThat(basic.path("scopes")).containsExactly(JSON.getNodeFactory().textNode("read"));
        assertThat(basic.at("/limits/perMinute").asLong()).isEqualTo(60);
        assertThat(basic.path("maxDevices").asInt()).isEqualTo(3);
        assertThat(basic.path("grants").toString()).isEqualTo("[\"password\",\"refresh_token\",\"authorization_code\"]");
        assertThat(basic.path("refreshReuse").asText()).isEqualTo("0s");
        assertThat(plan(config, "premium")).isNotNull();
    }

    @Test
    @Order(3)
    void diffShowsTheChangesAndWritesNothingThenApplyWritesThemAndAuditsEach() throws Exception {
        JsonNode before = export();
        ObjectNode desired = before.deepCopy();
        ((ArrayNode) desired.get("apis")).add(JSON.readTree("""
                {"name": "orders", "pathPrefix": "/orders/", "upstreams": ["http://127.0.0.1:9200"],
                 "scopes": {"GET": "orders.read", "*": "orders.write"}, "requiredGroup": "order-clerks"}"""));
        ArrayNode plans = (ArrayNode) desired.get("plans");
        plans.add(JSON.readTree("""
                {"id": "orders-gold", "api": "orders", "name": "Orders Gold", "scopes": ["orders.read"],
                 "limits": {"perMinute": 30, "appPerMinute": 100, "monthlyQuota": 50000}, "requiresApproval": true,
                 "grants": ["password", "refresh_token"], "refreshReuse": "30s", "sessionLifetime": "12h"}"""));
        ((ObjectNode) plan(desired, "basic").get("limits")).put("perMinute", 120);
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i).path("id").asText().equals("premium")) {
                plans.remove(i);
                break;
            }
        }
        Map<TopicPartition, Long> registryEnd = registryEnd();

        OperatorHttp.Answer diff = OPERATOR.send("POST", "/admin/config/diff", desired.toString(), PASSWORD);

        assertThat(diff.status()).as(String.valueOf(diff.json())).isEqualTo(200);
        assertThat(summary(diff.json())).containsExactly("api orders created", "plan basic updated",
                "plan orders-gold created", "plan premium deleted");
        JsonNode basicChange = diff.json().get("changes").get(1);
        assertThat(basicChange.at("/before/limits/perMinute").asLong()).isEqualTo(60);
        assertThat(basicChange.at("/after/limits/perMinute").asLong()).isEqualTo(120);
        assertThat(diff.json().get("changes").get(3).get("after").isNull()).isTrue();
        assertThat(registryEnd()).as("a diff writes nothing").isEqualTo(registryEnd);
        assertThat(export()).isEqualTo(before);

        OperatorHttp.Answer applied = OPERATOR.send("PUT", "/admin/config", desired.toString(), PASSWORD);

        assertThat(applied.status()).as(String.valueOf(applied.json())).isEqualTo(200);
        assertThat(summary(applied.json())).containsExactly("api orders created", "plan basic updated",
                "plan orders-gold created", "plan premium deleted");
        // read-your-writes: the answer comes once this node's view shows every change
        JsonNode after = export();
        assertThat(plan(after, "premium")).isNull();
        assertThat(plan(after, "basic").at("/limits/perMinute").asLong()).isEqualTo(120);
        JsonNode gold = plan(after, "orders-gold");
        assertThat(gold.at("/limits/appPerMinute").asLong()).isEqualTo(100);
        assertThat(gold.at("/limits/monthlyQuota").asLong()).isEqualTo(50000);
        assertThat(gold.path("requiresApproval").asBoolean()).isTrue();
        assertThat(gold.path("refreshReuse").asText()).isEqualTo("30s");
        assertThat(gold.path("sessionLifetime").asText()).isEqualTo("12h");
        JsonNode orders = api(after, "orders");
        assertThat(orders.path("requiredGroup").asText()).isEqualTo("order-clerks");
        assertThat(orders.at("/scopes/GET").asText()).isEqualTo("orders.read");
        // the whole state is now what was applied: a second diff is empty
        assertThat(OPERATOR.send("POST", "/admin/config/diff", after.toString(), PASSWORD).json().get("changes"))
                .isEmpty();

        List<ConsumerRecord<String, Event<?>>> audit = STACK.kafka().readUntil(Topics.AUTH_EVENTS,
                rs -> registryChanges(rs).size() >= 4, Duration.ofSeconds(20));
        assertThat(registryChanges(audit)).extracting(a -> a.operator() + " " + a.target() + " " + a.reason())
                .containsExactly("ops api:orders created", "ops plan:basic updated", "ops plan:orders-gold created",
                        "ops plan:premium deleted");
        assertThat(registryChanges(audit)).allSatisfy(a -> assertThat(a.ip()).isEqualTo("127.0.0.1"));
    }

    @Test
    @Order(4)
    void anUnchangedFileWritesNothing() {
        JsonNode current = export();
        Map<TopicPartition, Long> registryEnd = registryEnd();

        OperatorHttp.Answer applied = OPERATOR.send("PUT", "/admin/config", current.toString(), PASSWORD);

        assertThat(applied.status()).as(String.valueOf(applied.json())).isEqualTo(200);
        assertThat(applied.json().get("changes")).isEmpty();
        assertThat(registryEnd()).isEqualTo(registryEnd);
    }

    @Test
    @Order(5)
    void anInvalidFileIsRefusedWithEveryErrorAndWritesNothing() throws Exception {
        JsonNode current = export();
        Map<TopicPartition, Long> registryEnd = registryEnd();
        String invalid = """
                {"apis": [{"name": "orders", "pathPrefix": "/orders/", "upstreams": ["ftp://127.0.0.1"],
                           "scopes": {"*": "read"}}],
                 "plans": [{"id": "cheap", "api": "orders", "name": "Cheap", "scopes": ["read"],
                            "limits": {"perMinute": -5}, "grants": ["password"]},
                           {"id": "lost", "api": "nowhere", "name": "Lost", "scopes": [], "grants": ["password"]}]}""";

        for (String method : List.of("PUT", "POST")) {
            OperatorHttp.Answer refused = OPERATOR.send(method, method.equals("PUT") ? "/admin/config"
                    : "/admin/config/diff", invalid, PASSWORD);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.text("error")).isEqualTo("invalid_request");
            assertThat(refused.json().get("errors")).extracting(e -> e.path("path").asText())
                    .containsExactly("/apis/0/upstreams/0", "/plans/0/limits/perMinute", "/plans/1/api");
            assertThat(refused.json().get("errors")).allSatisfy(e -> assertThat(e.path("message").asText())
                    .isNotBlank());
        }
        assertThat(OPERATOR.send("PUT", "/admin/config", "{\"apis\": [", PASSWORD).status()).isEqualTo(400);
        assertThat(OPERATOR.send("PUT", "/admin/config", "[]", PASSWORD).status()).isEqualTo(400);
        assertThat(registryEnd()).isEqualTo(registryEnd);
        assertThat(export()).isEqualTo(current);
    }

    private static List<OperatorAction> registryChanges(List<ConsumerRecord<String, Event<?>>> records) {
        return records.stream().filter(r -> r.value() != null
                        && r.value().eventType() == EventType.OPERATOR_ACTION)
                .map(r -> r.value().dataAs(OperatorAction.class))
                .filter(a -> a.action() == OperatorAction.Action.REGISTRY_CHANGED).toList();
    }

    private static JsonNode export() {
        OperatorHttp.Answer answer = OPERATOR.send("GET", "/admin/config", null, PASSWORD);
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    private static List<String> summary(JsonNode answer) {
        return java.util.stream.StreamSupport.stream(answer.get("changes").spliterator(), false)
                .map(c -> c.path("kind").asText() + " " + c.path("name").asText() + " " + c.path("change").asText())
                .toList();
    }

    private static JsonNode plan(JsonNode config, String id) {
        for (JsonNode plan : config.path("plans")) {
            if (plan.path("id").asText().equals(id)) {
                return plan;
            }
        }
        return null;
    }

    private static JsonNode api(JsonNode config, String name) {
        for (JsonNode api : config.path("apis")) {
            if (api.path("name").asText().equals(name)) {
                return api;
            }
        }
        return null;
    }

    /** The end offset of every partition of the registry topic. */
    private static Map<TopicPartition, Long> registryEnd() {
        try (Admin admin = STACK.kafka().admin()) {
            int partitions = admin.describeTopics(List.of(Topics.REGISTRY.name())).allTopicNames().get()
                    .get(Topics.REGISTRY.name()).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(Topics.REGISTRY.name(), p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
