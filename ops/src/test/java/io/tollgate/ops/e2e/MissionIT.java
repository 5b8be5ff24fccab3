package io.tollgate.ops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.tollgate.ops.observability.Dashboard;
import io.tollgate.cli.ServiceSpec;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventCodec;
import io.tollgate.shared.events.EventType;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.json.Json;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole mission, end to end: the real local stack (KRaft broker, Redis, LDAP, token-api, policy-worker,
 * revocation-stream, gateway as child JVMs from their jars, the demo upstream) on free ports, driven the way
 * users drive it, with Nimbus' OAuth 2.0 SDK as the mobile app. Each check asserts what the user sees and,
 * where docs/README.md gives a bound, the time it took. The stack is {@link SharedStack}'s, booted once for this class,
 * {@link PortalJourneyIT} and the operator CLI's suite; this class runs first and expects the demo data as seeded.
 * {@link MissionHttpIdpIT} runs the same checks on a stack whose identity provider is the demo HTTP one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedStack.class)
@Order(SharedStack.MISSION)
class MissionIT {
    private static final Path ROOT = SharedStack.ROOT;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ClientID CLIENT = new ClientID(DemoRegistry.CLIENT_ID);
    /** Every raw token any check received: none may appear in an event or a log line. */
    private static final Set<String> RAW_TOKENS = ConcurrentHashMap.newKeySet();
    private static final List<String> PASSWORDS = List.of("alice-secret", "bob-secret", "carol-secret", "dave-secret",
            "erin-secret", "ops-secret", "gateway-secret", "wrong-password");

    private static StackConfig config;

    @BeforeAll
    static void useTheSharedStack() throws Exception {
        config = SharedStack.config();
        RAW_TOKENS.clear();
        BEFORE.clear();
        scrapeBeforeTheMission();
    }

    // --- the mobile app --------------------------------------------------------------------------------

    private static URI tokenEndpoint() {
        return URI.create(config.issuer() + "/oauth2/token");
    }

    private static TokenResponse login(String user, String password) throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(tokenEndpoint(), CLIENT,
                new ResourceOwnerPasswordCredentialsGrant(user, new Secret(password))).toHTTPRequest().send());
        remember(response);
        return response;
    }

    private static Tokens loginOk(String user, String password) throws Exception {
        TokenResponse response = login(user, password);
        assertThat(response.indicatesSuccess()).as(user + " logs in: " + describe(response)).isTrue();
        return response.toSuccessResponse().getTokens();
    }

    private static TokenResponse refresh(RefreshToken token) throws Exception {
        TokenResponse response = TokenResponse.parse(new TokenRequest(tokenEndpoint(), CLIENT,
                new RefreshTokenGrant(token)).toHTTPRequest().send());
        remember(response);
        return response;
    }

    private static void remember(TokenResponse response) {
        if (response.indicatesSuccess()) {
            Tokens tokens = response.toSuccessResponse().getTokens();
            RAW_TOKENS.add(tokens.getAccessToken().getValue());
            if (tokens.getRefreshToken() != null) {
                RAW_TOKENS.add(tokens.getRefreshToken().getValue());
            }
        }
    }

    private static String describe(TokenResponse response) {
        if (response.indicatesSuccess()) {
            return "200";
        }
        ErrorObject error = response.toErrorResponse().getErrorObject();
        return error.getHTTPStatusCode() + " " + error.getCode() + " " + error.getDescription();
    }

    private static String errorCode(TokenResponse response) {
        assertThat(response.indicatesSuccess()).isFalse();
        return response.toErrorResponse().getErrorObject().getCode();
    }

    private static HttpResponse<String> call(String method, String path, Tokens tokens) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + config.host + ":"
                + config.port("gateway") + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + tokens.getAccessToken().getValue())
                // A client trying to pass itself off as someone else: the gateway must replace these.
                .header("X-Authenticated-UserId", "mallory")
                .header("X-ApiPlan", "premium");
        request = "GET".equals(method) ? request.GET()
                : request.method(method, HttpRequest.BodyPublishers.ofString("{}"));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until the gateway answers 401 for this token; returns how long that took. */
    private static Duration untilRejected(Tokens tokens, Duration bound) throws Exception {
        long start = System.nanoTime();
        long deadline = start + bound.plusSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (call("GET", "/mobile/poll", tokens).statusCode() == 401) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("token still accepted " + bound.plusSeconds(5) + " later");
    }

    private static void eventually(Duration bound, BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + " did not happen within " + bound);
    }

    // --- the checks -------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aliceLogsInCallsTheApiAndTheBackendSeesHerIdentity() throws Exception {
        Tokens tokens = loginOk("alice", "alice-secret");
        assertThat(tokens.getAccessToken().getScope().toString()).isEqualTo("read");

        HttpResponse<String> answer = call("GET", "/mobile/profile", tokens);

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode echoed = Json.mapper().readTree(answer.body());
        assertThat(echoed.path("method").asText()).isEqualTo("GET");
        assertThat(echoed.path("path").asText()).isEqualTo("/mobile/profile");
        JsonNode headers = echoed.path("headers");
        assertThat(headers.path("x-authenticated-userid").asText()).isEqualTo("alice");
        assertThat(headers.path("x-authenticated-scope").asText()).isEqualTo("read");
        assertThat(headers.path("x-credential-identifier").asText()).isEqualTo(DemoRegistry.CLIENT_ID);
        assertThat(headers.path("x-consumer-custom-id").asText()).isEqualTo(DemoRegistry.SUBSCRIPTION_ID);
        assertThat(headers.path("x-consumer-username").asText()).isEqualTo(DemoRegistry.APPLICATION_ID + "$mobile");
        assertThat(headers.path("x-apiplan").asText()).isEqualTo("basic");
        assertThat(headers.has("authorization")).as("the token is not forwarded by default").isFalse();
        assertThat(answer.headers().firstValue("RateLimit")).isPresent();

        // The basic plan grants only read: a write is refused before the upstream.
        HttpResponse<String> write = call("POST", "/mobile/profile", tokens);
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.headers().firstValue("WWW-Authenticate").orElse(""))
                .contains("insufficient_scope").contains("scope=\"write\"");
    }

    @Test
    @Order(2)
    void refreshRotatesTheOldTokenIsRefusedAndReuseKillsTheFamily() throws Exception {
        Tokens first = loginOk("alice", "alice-secret");
        TokenResponse rotated = refresh(first.getRefreshToken());
        assertThat(rotated.indicatesSuccess()).as(describe(rotated)).isTrue();
        Tokens second = rotated.toSuccessResponse().getTokens();
        assertThat(second.getRefreshToken().getValue()).isNotEqualTo(first.getRefreshToken().getValue());
        assertThat(call("GET", "/mobile/after-refresh", second).statusCode()).isEqualTo(200);

        // The old refresh token again: refused, and the whole family dies (RFC 9700 §4.14.2).
        assertThat(errorCode(refresh(first.getRefreshToken()))).isEqualTo("invalid_grant");
        assertThat(errorCode(refresh(second.getRefreshToken()))).as("the family's current token dies too")
                .isEqualTo("invalid_grant");
        Duration took = untilRejected(second, Duration.ofSeconds(1));
        assertThat(took).as("reuse revocation enforced by the gateway").isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    @Order(3)
    void rfc7009RevocationOfAnAccessTokenReachesTheGateway() throws Exception {
        Tokens tokens = loginOk("erin", "erin-secret");
        assertThat(call("GET", "/mobile/x", tokens).statusCode()).isEqualTo(200);

        var revoke = new TokenRevocationRequest(URI.create(config.issuer() + "/oauth2/revoke"), CLIENT,
                tokens.getAccessToken()).toHTTPRequest().send();
        assertThat(revoke.getStatusCode()).isEqualTo(200);

        assertThat(untilRejected(tokens, Duration.ofSeconds(1))).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    @Order(4)
    void operatorRevokesBobEverywhereAndALaterLoginWorks() throws Exception {
        Tokens bob = loginOk("bob", "bob-secret");
        assertThat(call("GET", "/mobile/x", bob).statusCode()).isEqualTo(200);

        HttpResponse<String> unauthenticated = HTTP.send(HttpRequest.newBuilder(
                URI.create(config.issuer() + "/admin/users/bob/revoke")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unauthenticated.statusCode()).isEqualTo(401);

        long t0 = System.nanoTime();
        HttpResponse<String> revoked = HTTP.send(HttpRequest.newBuilder(
                        URI.create(config.issuer() + "/admin/users/bob/revoke"))
                .header("Authorization", basic("ops", "ops-secret")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"lost phone (e2e)\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).isEqualTo(204);
        Duration took = untilRejected(bob, Duration.ofSeconds(1));
        assertThat(took).as("operator revocation enforced").isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(errorCode(refresh(bob.getRefreshToken()))).isEqualTo("invalid_grant");
        System.out.printf("operator revocation: gateway rejected bob's token %d ms after the 204 (%d ms after the "
                + "call was sent, operator password check included)%n", took.toMillis(), (System.nanoTime() - t0) / 1_000_000);

        Thread.sleep(1_100); // not-before is in whole seconds: a login in the next second works
        Tokens again = loginOk("bob", "bob-secret");
        assertThat(call("GET", "/mobile/x", again).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void davesExpiredLicenseIsFoundAfterTheLoginAndHisTokensDie() throws Exception {
        long t0 = System.nanoTime();
        Tokens dave = loginOk("dave", "dave-secret");

        Duration took = untilRejected(dave, Duration.ofSeconds(3));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("license revocation within 3 s of the login")
                .isLessThanOrEqualTo(Duration.ofSeconds(3));
        System.out.printf("license denial: dave's token rejected %d ms after his login%n", took.toMillis());

        eventually(Duration.ofSeconds(3), () -> {
            try {
                return !login("dave", "dave-secret").indicatesSuccess();
            } catch (Exception e) {
                return false;
            }
        }, "dave's next login being refused");
        assertThat(errorCode(login("dave", "dave-secret"))).isEqualTo("invalid_grant");
    }

    @Test
    @Order(6)
    void aFourthDeviceRevokesAlicesOldestFamily() throws Exception {
        // Earlier checks left alice without a live family (reuse killed it); start from four fresh devices.
        List<Tokens> devices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            devices.add(loginOk("alice", "alice-secret"));
            Thread.sleep(20);
        }
        Thread.sleep(1_500); // let the policy worker see the first three before the fourth
        long t0 = System.nanoTime();
        devices.add(loginOk("alice", "alice-secret"));

        untilRejected(devices.get(0), Duration.ofSeconds(3));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(errorCode(refresh(devices.get(0).getRefreshToken()))).isEqualTo("invalid_grant");
        for (Tokens device : devices.subList(1, 4)) {
            assertThat(call("GET", "/mobile/x", device).statusCode()).isEqualTo(200);
        }
    }

    @Test
    @Order(7)
    void carolIsNotEntitled() throws Exception {
        TokenResponse response = login("carol", "carol-secret");
        assertThat(errorCode(response)).isEqualTo("invalid_grant");
        assertThat(response.toErrorResponse().getErrorObject().getDescription()).containsIgnoringCase("entitled");
    }

    @Test
    @Order(8)
    void erinIsLockedOutAfterRepeatedFailures() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(errorCode(login("erin", "wrong-password"))).isEqualTo("invalid_grant");
        }
        TokenResponse locked = login("erin", "erin-secret");
        assertThat(errorCode(locked)).as("the right password during the lockout").isEqualTo("invalid_grant");
    }

    @Test
    @Order(9)
    void theRateLimitAnswers429WithItsHeaders() throws Exception {
        Tokens bob = loginOk("bob", "bob-secret");
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpResponse<String> first = call("GET", "/mobile/rate", bob);
            assertThat(first.statusCode()).isEqualTo(200);
            Matcher m = Pattern.compile("r=(\\d+);t=(\\d+)").matcher(first.headers().firstValue("RateLimit").orElseThrow());
            assertThat(m.find()).isTrue();
            int remaining = Integer.parseInt(m.group(1));
            int reset = Integer.parseInt(m.group(2));
            if (reset < 15) {
                Thread.sleep((reset + 1) * 1_000L); // too close to the window's end: start in a fresh one
                continue;
            }
            for (int i = 0; i < remaining; i++) {
                assertThat(call("GET", "/mobile/rate", bob).statusCode()).as("call %d of %d", i + 1, remaining)
                        .isEqualTo(200);
            }
            HttpResponse<String> limited = call("GET", "/mobile/rate", bob);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).isPresent();
            assertThat(limited.headers().firstValue("RateLimit-Policy").orElse("")).contains("60");
            assertThat(limited.headers().firstValue("RateLimit").orElse("")).contains("r=0");
            return;
        }
        throw new AssertionError("could not find a rate-limit window with room to test in");
    }

    @Test
    @Order(10)
    void aSecurityReviewerFindsEveryFactInTheAuditStreamAndNoSecret() throws Exception {
        List<Event<?>> audit = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        eventually(Duration.ofSeconds(20), () -> {
            audit.clear();
            raw.clear();
            readAll(Topics.AUTH_EVENTS.name(), audit, raw);
            readAll(Topics.REVOCATIONS.name(), audit, raw);
            readAll(Topics.POLICY_DECISIONS.name(), audit, raw);
            return has(audit, EventType.LOGIN_LOCKED, "erin") && has(audit, EventType.REFRESH_REUSED, "alice")
                    && audit.stream().anyMatch(e -> e.data() instanceof PolicyDecision d && d.userId().equals("dave")
                    && d.outcome() == PolicyDecision.Outcome.DENY);
        }, "the audit events");

        assertThat(has(audit, EventType.LOGIN_SUCCEEDED, "alice")).isTrue();
        assertThat(has(audit, EventType.TOKEN_REFRESHED, "alice")).isTrue();
        assertThat(has(audit, EventType.REFRESH_REUSED, "alice")).isTrue();
        assertThat(audit.stream().anyMatch(e -> e.data() instanceof LoginFailed f && f.userId().equals("carol")
                && f.reason() == LoginFailed.Reason.NOT_ENTITLED)).as("carol's refusal").isTrue();
        assertThat(has(audit, EventType.LOGIN_LOCKED, "erin")).isTrue();
        assertThat(audit.stream().filter(e -> e.eventType() == EventType.TOKEN_REVOKED).map(Event::subject))
                .as("RFC 7009 (erin) and operator (bob) revocations").contains("erin", "bob");
        assertThat(audit.stream().anyMatch(e -> e.data() instanceof Revocation r && r.kind() == Revocation.Kind.USER
                && "bob".equals(r.userId()) && "ops".equals(r.actor()))).as("bob's revocation names the operator")
                .isTrue();
        assertThat(audit.stream().anyMatch(e -> e.data() instanceof Revocation r && r.kind() == Revocation.Kind.USER
                && "dave".equals(r.userId()))).as("dave's license revocation").isTrue();
        assertThat(audit.stream().anyMatch(e -> e.data() instanceof Revocation r
                && r.kind() == Revocation.Kind.FAMILY && r.reason() != null && r.reason().toLowerCase().contains("device")))
                .as("alice's oldest family revoked for the device limit").isTrue();
        assertThat(audit).allSatisfy(e -> assertThat(e.type()).startsWith("tollgate."));

        List<String> secrets = new ArrayList<>(PASSWORDS);
        secrets.addAll(RAW_TOKENS);
        assertThat(RAW_TOKENS).hasSizeGreaterThan(10);
        for (String record : raw) {
            for (String secret : secrets) {
                assertThat(record).as("an event holds a secret").doesNotContain(secret);
            }
        }
        try (Stream<Path> logs = Files.list(config.logs())) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                for (String secret : secrets) {
                    assertThat(text).as("log %s holds a secret", log.getFileName()).doesNotContain(secret);
                }
            }
        }
    }

    /**
     * Metrics that the mission's steps must move, by the service that exposes them: a strictly positive change
     * between the scrape taken before the first step and the one after the last (meters exist at 0 from start-up,
     * so their presence proves nothing).
     */
    private static final Map<String, List<String>> MUST_MOVE = new TreeMap<>(Map.of(
            "token-api", List.of("tollgate_token_requests_total{grant_type=\"password\",outcome=\"success\"}",
                    "tollgate_token_requests_total{grant_type=\"password\",outcome=\"invalid_grant\"}",
                    "tollgate_token_requests_total{grant_type=\"refresh_token\",outcome=\"success\"}",
                    "tollgate_lockouts_total{scope=\"user\"}", "tollgate_refresh_reused_total",
                    "tollgate_token_request_duration_seconds_count{grant_type=\"password\"}"),
            "gateway", List.of("tollgate_gateway_requests_total{api=\"mobile\",outcome=\"proxied\"}",
                    "tollgate_gateway_requests_total{api=\"mobile\",outcome=\"revoked\"}",
                    "tollgate_gateway_requests_total{api=\"mobile\",outcome=\"rate_limited\"}",
                    "gateway_rate_limit_rejected_total", "gateway_token_state_invalidations_total",
                    "tollgate_gateway_request_duration_seconds_count{api=\"mobile\"}"),
            "policy-worker", List.of("policy_records_processed",
                    "tollgate_policy_decisions_total{outcome=\"deny\",policy=\"license\"}"),
            // the mission's revocations (reuse, RFC 7009, operator, dave's license, device limit) are all timed
            "revocation-stream", List.of("streams_records_processed", "tollgate_revocation_propagation_seconds_count")));
    /** Gauges that need not move but must be exported, with a value of at least 0, by the service. */
    private static final Map<String, List<String>> MUST_EXPORT = new TreeMap<>(Map.of(
            "policy-worker", List.of("policy_consumer_lag"),
            "revocation-stream", List.of("streams_consumer_lag",
                    "tollgate_revocation_propagation_seconds_bucket{le=\"+Inf\"}")));
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");

    /** Every service's scrape before the mission's first step. */
    private static final Map<String, String> BEFORE = new TreeMap<>();

    private static void scrapeBeforeTheMission() throws Exception {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            BEFORE.put(spec.module(), scrape(spec.module()));
            keep(spec.module() + "-before", BEFORE.get(spec.module()));
        }
    }

    @Test
    @Order(11)
    void everyServiceExposesPrometheusMetricsThatMoved() throws Exception {
        Map<String, String> after = new TreeMap<>();
        // Streams and the policy worker count asynchronously: give the last records a moment to be processed.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<String> still;
        do {
            for (ServiceSpec spec : ServiceSpec.ALL) {
                after.put(spec.module(), scrape(spec.module()));
            }
            still = unmoved(after);
        } while (!still.isEmpty() && System.nanoTime() < deadline && sleep(250));
        after.forEach((module, text) -> keep(module + "-after", text));
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(after.get(spec.module())).as(spec.module()).contains("# TYPE");
        }
        StringBuilder moves = new StringBuilder();
        MUST_MOVE.forEach((module, names) -> names.forEach(name -> moves.append(String.format("%s %s: %s -> %s%n",
                module, name, value(BEFORE.get(module), name), value(after.get(module), name)))));
        System.out.print("metrics during the mission:\n" + moves);
        assertThat(still).as("metrics that did not move during the mission (before -> after):%n%s", moves).isEmpty();
        MUST_EXPORT.forEach((module, series) -> series.forEach(name -> assertThat(sample(after.get(module), name))
                .as("%s %s", module, name).isGreaterThanOrEqualTo(0)));

        // Every metric each of the shipped dashboard's expressions uses exists in some service's scrape, and every
        // line has its own legend (no expression relies on __name__, which rate() drops).
        String all = String.join("\n", after.values());
        Set<String> used = new TreeSet<>();
        List<Dashboard.Target> targets = Dashboard.targets(ROOT.resolve("ops").resolve(Dashboard.FILE));
        for (Dashboard.Target target : targets) {
            assertThat(target.expr()).as(target.toString()).doesNotContain("__name__");
            assertThat(target.legend()).as(target.toString()).isNotBlank().doesNotContain("{{");
            List<String> names = Dashboard.metricNames(target.expr());
            assertThat(names).as("metric names in " + target).isNotEmpty();
            for (String name : names) {
                assertThat(Pattern.compile("(?m)^" + Pattern.quote(name) + "[ {]").matcher(all).find())
                        .as("dashboard metric %s (%s) in a scrape", name, target).isTrue();
            }
            used.addAll(names);
        }
        assertThat(targets).hasSizeGreaterThan(20);
        assertThat(used).as("the dashboard plots the metrics the mission moves")
                .containsAll(MUST_MOVE.values().stream().flatMap(List::stream)
                        .map(series -> series.replaceAll("\\{.*", "")).filter(name -> !name.endsWith("_count"))
                        .toList())
                .contains("tollgate_gateway_request_duration_seconds_bucket",
                        "tollgate_gateway_upstream_duration_seconds_bucket", "policy_consumer_lag",
                        "streams_consumer_lag", "tollgate_revocation_propagation_seconds_bucket",
                        "tollgate_token_request_duration_seconds_bucket");
    }

    /** The MUST_MOVE metrics whose value after the mission is not above their value before it. */
    private static List<String> unmoved(Map<String, String> after) {
        List<String> still = new ArrayList<>();
        MUST_MOVE.forEach((module, names) -> {
            for (String name : names) {
                // a series absent before the mission (an API's, made on its first request) started at 0
                double before = value(BEFORE.get(module), name);
                if (!(value(after.get(module), name) > (Double.isNaN(before) ? 0 : before))) {
                    still.add(module + " " + name);
                }
            }
        });
        return still;
    }

    /**
     * The sum of the samples of {@code series}: a bare name counts every label set, a name with labels (as the
     * scrape prints them) that one sample; NaN (so "not moved") if none.
     */
    private static double value(String scrape, String series) {
        int brace = series.indexOf('{');
        String name = brace < 0 ? series : series.substring(0, brace);
        String labels = brace < 0 ? null : series.substring(brace);
        double sum = Double.NaN;
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            if (m.group(1).equals(name) && (labels == null || labels.equals(m.group(2)))) {
                sum = (Double.isNaN(sum) ? 0 : sum) + Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }

    /** The value of the one sample printed exactly as {@code series} (name and labels); NaN when there is none. */
    private static double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).orElse(Double.NaN);
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Keeps a scrape under target/ for whoever reads a failure (and to check the dashboard with promtool). */
    private static void keep(String name, String scrape) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "mission-scrapes"));
            Files.writeString(dir.resolve(name + ".prom"), scrape, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            System.out.println("could not keep the " + name + " scrape: " + e);
        }
    }

    private static String scrape(String module) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":"
                + config.adminPort(module) + "/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(module + " /prometheus").isEqualTo(200);
        return answer.body();
    }

    // --- helpers ----------------------------------------------------------------------------------------

    private static boolean has(List<Event<?>> events, EventType type, String subject) {
        return events.stream().anyMatch(e -> e.eventType() == type && subject.equals(e.subject()));
    }

    private static void readAll(String topic, List<Event<?>> events, List<String> raw) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-auditor-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline && partitions.stream()
                    .anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        continue;
                    }
                    raw.add(new String(record.value(), StandardCharsets.UTF_8));
                    events.add(EventCodec.decode(record.value()));
                }
            }
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }
}
