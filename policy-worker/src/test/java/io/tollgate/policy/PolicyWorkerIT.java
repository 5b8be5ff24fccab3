package io.tollgate.policy;

import com.codahale.metrics.Gauge;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tollgate.policy.kafka.PolicyLoop;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ClientTokenIssued;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.LdapDirectory;
import io.tollgate.testkit.LdapExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** policy-worker against a real broker, Redis and the demo LDAP directory, started as the service. */
class PolicyWorkerIT {
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension
    @Order(3)
    static final LdapExtension LDAP = new LdapExtension();
    /** An application on two APIs: {@code mobile} on plan basic (3 devices), {@code reports} on one device. */
    static final String MULTI_CLIENT = "multi-api-client";
    static final PlanRecord ONE_DEVICE = new PlanRecord("reports-one-device", "reports", "One device",
            Set.of("read"), 60, 0, 0, 1, false, DemoRegistry.GRANT_TYPES);
    static final SubscriptionRecord MULTI_MOBILE = new SubscriptionRecord("sub-multi-mobile", "multi-api-app",
            MULTI_CLIENT, DemoRegistry.API, DemoRegistry.BASIC.planId(), SubscriptionRecord.Status.APPROVED,
            Instant.parse("2026-01-01T00:00:00Z"));
    static final SubscriptionRecord MULTI_REPORTS = new SubscriptionRecord("sub-multi-reports", "multi-api-app",
            MULTI_CLIENT, "reports", ONE_DEVICE.planId(), SubscriptionRecord.Status.APPROVED,
            Instant.parse("2026-01-01T00:00:00Z"));

    /** The demo registry (plan basic: 3 devices) and the two-API application are on the topic before the start. */
    @RegisterExtension
    @Order(4)
    static final BeforeAllCallback REGISTRY = context -> {
        projectionReady();
        KAFKA.createTopics(Topics.ALL);
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REGISTRY)) {
            DemoRegistry.publish(producer, Event.source("test", "it"));
            for (EventData data : List.<EventData>of(ONE_DEVICE, MULTI_MOBILE, MULTI_REPORTS)) {
                producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), data.subject(),
                        Event.of(Event.source("test", "it"), data))).get();
            }
        }
    };
    @RegisterExtension
    @Order(5)
    static final DropwizardAppExtension<PolicyWorkerConfiguration> APP = new DropwizardAppExtension<>(
            PolicyWorkerApplication.class, "config/local.yml",
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("kafka.bootstrapServers", KAFKA::bootstrapServers),
            ConfigOverride.config("redis.port", () -> Integer.toString(REDIS.port())),
            ConfigOverride.config("identityProvider.urls[0]", LDAP::url),
            ConfigOverride.config("groupId", "pw-it-" + UUID.randomUUID()),
            ConfigOverride.config("node", "it-" + UUID.randomUUID()));

    private static final TokenApiTraffic TRAFFIC = new TokenApiTraffic(KAFKA, REDIS);

    @AfterAll
    static void close() {
        TRAFFIC.close();
    }

    /** What revocation-stream does once Redis holds every fact; this test runs no revocation-stream. */
    private static void projectionReady() {
        try (Jedis jedis = REDIS.jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
    }

    /** Writes a demo-mobile family on plan basic as token-api does, and returns the login event it emits. */
    private static LoginSucceeded login(String user, String family, Instant createdAt) {
        return TRAFFIC.login(user, DemoRegistry.CLIENT_ID, DemoRegistry.APPLICATION_ID, DemoRegistry.SUBSCRIPTION_ID,
                "basic", family, createdAt);
    }

    /** Writes a family of {@link #MULTI_CLIENT} on {@code subscription} as token-api does, and its login event. */
    private static LoginSucceeded multiLogin(String user, String family, Instant createdAt,
                                             SubscriptionRecord subscription) {
        return TRAFFIC.login(user, MULTI_CLIENT, "multi-api-app", subscription.subscriptionId(),
                subscription.planId(), family, createdAt);
    }

    private static void send(LoginSucceeded login) {
        TRAFFIC.send(List.of(login));
    }

    private static List<PolicyDecision> decisionsFor(String user, int atLeast) {
        return TRAFFIC.decisions(user, atLeast, Duration.ofSeconds(30));
    }

    private static List<Revocation> revocationsOf(String user, Duration quiet) {
        return TRAFFIC.revocations(user, quiet);
    }

    @Test
    void davesLoginIsDeniedForHisExpiredLicenseAndRevokesHim() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        send(login("dave", "fam-dave-1", Instant.now()));

        List<PolicyDecision> decisions = decisionsFor("dave", 1);
        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).outcome()).isEqualTo(PolicyDecision.Outcome.DENY);
        assertThat(decisions.get(0).policy()).isEqualTo("license");
        assertThat(decisions.get(0).reason()).isEqualTo("license expired");

        List<Revocation> revocations = revocationsOf("dave", Duration.ofSeconds(1));
        assertThat(revocations).hasSize(1);
        Revocation revocation = revocations.get(0);
        assertThat(revocation.kind()).isEqualTo(Revocation.Kind.USER);
        assertThat(revocation.notBefore()).isBetween(before, Instant.now())
                .isEqualTo(revocation.notBefore().truncatedTo(ChronoUnit.SECONDS));
        assertThat(revocation.expiresAt()).isAfter(Instant.now().plus(Duration.ofDays(29)));
    }

    @Test
    void aFourthLoginOfAliceRevokesHerOldestFamilyOnly() {
        Instant t0 = Instant.now().minusSeconds(60);
        login("alice", "fam-alice-1", t0);
        login("alice", "fam-alice-2", t0.plusSeconds(10));
        login("alice", "fam-alice-3", t0.plusSeconds(20));
        send(login("alice", "fam-alice-4", t0.plusSeconds(30)));

        List<PolicyDecision> decisions = decisionsFor("alice", 1);
        assertThat(decisions).extracting(PolicyDecision::outcome).containsExactly(PolicyDecision.Outcome.ALLOW);
        List<Revocation> revocations = revocationsOf("alice", Duration.ofSeconds(1));
        assertThat(revocations).extracting(Revocation::kind, Revocation::familyId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Revocation.Kind.FAMILY, "fam-alice-1"));
    }

    /**
     * An application on two APIs with different plans: each login and refresh is decided on the plan of the
     * subscription it names (or, for a refresh event that names none, its family's), and the device limit counts
     * only that subscription's families. Taking the client's first subscription used to count all five families
     * against one plan.
     */
    @Test
    void eachDecisionOfATwoApiApplicationUsesThePlanOfItsOwnSubscription() {
        String user = "carol";
        Instant t0 = Instant.now().minusSeconds(60);
        multiLogin(user, "fam-carol-m1", t0, MULTI_MOBILE);
        multiLogin(user, "fam-carol-m2", t0.plusSeconds(10), MULTI_MOBILE);
        multiLogin(user, "fam-carol-r1", t0.plusSeconds(20), MULTI_REPORTS);
        // a second device on reports (one device): its oldest reports family goes, the mobile ones stay
        send(multiLogin(user, "fam-carol-r2", t0.plusSeconds(30), MULTI_REPORTS));
        assertThat(decisionsFor(user, 1)).extracting(PolicyDecision::outcome)
                .containsExactly(PolicyDecision.Outcome.ALLOW);
        assertThat(revocationsOf(user, Duration.ofSeconds(1))).extracting(Revocation::kind, Revocation::familyId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Revocation.Kind.FAMILY, "fam-carol-r1"));

        // a third device on mobile (three devices): within basic's limit, whatever lives on reports
        send(multiLogin(user, "fam-carol-m3", t0.plusSeconds(40), MULTI_MOBILE));
        // a refresh on mobile in the shape written before refresh events named their subscription: the family's
        TokenRefreshed refresh = new TokenRefreshed(user, MULTI_CLIENT, "fam-carol-m2", 1,
                String.format("%043d", 42), "jti-carol-m2-1", "read", Instant.now().plusSeconds(300),
                Instant.now().plus(Duration.ofDays(30)), "127.0.0.1");
        TRAFFIC.send(user, refresh);
        assertThat(decisionsFor(user, 3)).extracting(PolicyDecision::outcome)
                .containsExactly(PolicyDecision.Outcome.ALLOW, PolicyDecision.Outcome.ALLOW,
                        PolicyDecision.Outcome.ALLOW);
        assertThat(revocationsOf(user, Duration.ofSeconds(1))).extracting(Revocation::familyId)
                .containsExactly("fam-carol-r1");

        // a fourth device on mobile: now over basic's three, and only the oldest mobile family goes
        send(multiLogin(user, "fam-carol-m4", t0.plusSeconds(50), MULTI_MOBILE));
        assertThat(decisionsFor(user, 4)).hasSize(4);
        assertThat(revocationsOf(user, Duration.ofSeconds(1))).extracting(Revocation::familyId)
                .containsExactly("fam-carol-r1", "fam-carol-m1");
    }

    /**
     * Eight logins of one user at once, beyond the plan's three devices: the five oldest families are revoked once
     * each. Nothing projects revocations to Redis here (no revocation-stream), so every later login of the batch
     * still reads them as live; none may revoke them again.
     */
    @Test
    void concurrentLoginsBeyondTheDeviceLimitRevokeEachExcessFamilyOnce() {
        benchUsers();
        Instant t0 = Instant.now().minusSeconds(60);
        List<LoginSucceeded> logins = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            logins.add(login("user0001", "fam-u1-" + i, t0.plusSeconds(i)));
        }
        TRAFFIC.send(logins);

        assertThat(decisionsFor("user0001", 8)).hasSize(8).extracting(PolicyDecision::outcome)
                .containsOnly(PolicyDecision.Outcome.ALLOW);
        assertThat(revocationsOf("user0001", Duration.ofSeconds(2))).extracting(Revocation::kind, Revocation::familyId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Revocation.Kind.FAMILY, "fam-u1-0"),
                        org.assertj.core.groups.Tuple.tuple(Revocation.Kind.FAMILY, "fam-u1-1"),
                        org.assertj.core.groups.Tuple.tuple(Revocation.Kind.FAMILY, "fam-u1-2"),
                        org.assertj.core.groups.Tuple.tuple(Revocation.Kind.FAMILY, "fam-u1-3"),
                        org.assertj.core.groups.Tuple.tuple(Revocation.Kind.FAMILY, "fam-u1-4"));
    }

    private static boolean benchUsersAdded;

    /** user0001 and user0002 (entitled, valid license), once for the class. */
    private static synchronized void benchUsers() {
        if (!benchUsersAdded) {
            LDAP.directory().addBenchUsers(2);
            benchUsersAdded = true;
        }
    }

    /**
     * Redis lost and being rebuilt when a user's fourth login is decided: their families are not back yet. Counting
     * what is there (nothing) would allow and leave all four devices live; the worker waits for the projection and
     * counts every family.
     */
    @Test
    void aLoginDecidedWhileRedisIsBeingRebuiltWaitsForTheProjectionAndCountsEveryFamily() {
        benchUsers(); // user0002: entitled, valid license, used by no other test
        String user = "user0002";
        Instant t0 = Instant.now().minusSeconds(60);
        login(user, "fam-u2-1", t0);
        login(user, "fam-u2-2", t0.plusSeconds(10));
        login(user, "fam-u2-3", t0.plusSeconds(20));
        LoginSucceeded fourth = login(user, "fam-u2-4", t0.plusSeconds(30));
        Map<String, byte[]> projected = new java.util.HashMap<>();
        try (Jedis jedis = REDIS.jedis()) {
            for (String key : jedis.keys("tg:*" + user + "*")) {
                projected.put(key, jedis.dump(key));
            }
            jedis.del(projected.keySet().toArray(new String[0]));
            jedis.del(RedisKeys.PROJECTION); // Redis lost and restarted empty: not ready
        }
        assertThat(projected).containsKey(RedisKeys.families(user, DemoRegistry.CLIENT_ID));
        send(fourth);
        assertThat(KAFKA.readUntil(Topics.POLICY_DECISIONS, records -> records.stream()
                .anyMatch(r -> user.equals(r.key())), Duration.ofSeconds(3)))
                .as("no decision on a projection that is not ready").noneMatch(r -> user.equals(r.key()));

        // the rebuild brings the families back, then marks the projection ready
        try (Jedis jedis = REDIS.jedis()) {
            projected.forEach((key, value) -> jedis.restore(key, 0, value));
        }
        projectionReady();
        assertThat(decisionsFor(user, 1)).extracting(PolicyDecision::outcome)
                .containsExactly(PolicyDecision.Outcome.ALLOW);
        assertThat(revocationsOf(user, Duration.ofSeconds(1))).extracting(Revocation::kind, Revocation::familyId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Revocation.Kind.FAMILY, "fam-u2-1"));
    }

    @Test
    void aUserRemovedFromTheDirectoryIsDenied() throws Exception {
        LDAP.directory().server().delete("uid=erin," + LdapDirectory.USERS_DN);
        send(login("erin", "fam-erin-1", Instant.now()));
        List<PolicyDecision> decisions = decisionsFor("erin", 1);
        assertThat(decisions).extracting(PolicyDecision::outcome, PolicyDecision::policy, PolicyDecision::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PolicyDecision.Outcome.DENY, "account-status",
                        "account not found"));
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheNextRecordStillDecided() {
        try (Producer<String, byte[]> raw = KAFKA.producer(Topics.POLICY_DEAD_LETTERS)) {
            raw.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), "bob", "{\"not\":\"an event\"}"
                    .getBytes(StandardCharsets.UTF_8)));
            raw.flush();
        }
        send(login("bob", "fam-bob-1", Instant.now()));

        assertThat(decisionsFor("bob", 1)).extracting(PolicyDecision::outcome)
                .containsExactly(PolicyDecision.Outcome.ALLOW);
        var dead = KAFKA.readUntil(Topics.POLICY_DEAD_LETTERS, r -> !r.isEmpty(), Duration.ofSeconds(10));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo("bob");
        assertThat(new String(dead.get(0).headers().lastHeader(PolicyLoop.HEADER_REASON).value(),
                StandardCharsets.UTF_8)).isNotBlank();
        assertThat(new String(dead.get(0).headers().lastHeader(PolicyLoop.HEADER_TOPIC).value(),
                StandardCharsets.UTF_8)).isEqualTo(Topics.AUTH_EVENTS.name());
    }

    /**
     * A client credentials token has no user: its audit event must be no policy input. Looking the client up as a
     * user would find no account and DENY it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aClientTokenIssuanceIsNoPolicyInputAndDeniesNothing() throws InterruptedException {
        Gauge<Long> processed = (Gauge<Long>) APP.getEnvironment().metrics().getGauges()
                .get("policy.records.processed");
        long before = processed.getValue();
        ClientTokenIssued issued = new ClientTokenIssued(DemoRegistry.SERVICE_CLIENT_ID,
                DemoRegistry.SERVICE_APPLICATION_ID, "jti-cc-policy", "read write", List.of("mobile"),
                Instant.now().plusSeconds(300), "127.0.0.1");
        TRAFFIC.send(issued.subject(), issued);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (processed.getValue() < before + 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(processed.getValue()).as("the worker consumed the event").isGreaterThan(before);
        assertThat(KAFKA.readAll(Topics.POLICY_DECISIONS, Duration.ofSeconds(1)))
                .noneMatch(r -> DemoRegistry.SERVICE_CLIENT_ID.equals(r.key()));
        assertThat(KAFKA.readAll(Topics.REVOCATIONS, Duration.ofSeconds(1)).stream().map(r -> r.value().data()))
                .noneMatch(d -> d instanceof Revocation r && DemoRegistry.SERVICE_CLIENT_ID.equals(r.clientId()));
        assertThat(KAFKA.readAll(Topics.POLICY_DEAD_LETTERS, Duration.ofSeconds(1)))
                .noneMatch(r -> DemoRegistry.SERVICE_CLIENT_ID.equals(r.key()));
    }

    /** policy-worker's admin tasks need the operator of config/local.yml: Dropwizard's log-level task as the probe. */
    /** Kafka is this service's work: its readiness runs every check, the broker's and the policy loop's included. */
    @Test
    void readinessIncludesKafkaAndThePolicyLoop() throws Exception {
        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"ready\":true", "\"kafka\":{\"healthy\":true",
                "\"policy-loop\":{\"healthy\":true", "\"notRequired\":[]");
    }

    @Test
    void adminTasksChangeNothingWithoutAnOperator() throws Exception {
        String logger = "io.tollgate.policy.admin-probe";
        ch.qos.logback.classic.Logger probe = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger);
        URI task = URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/tasks/log-level?logger=" + logger
                + "&level=TRACE");
        for (String authorization : new String[] {null, basic("ops", "ops-secreT"), basic("policy", "ops-secret")}) {
            HttpResponse<String> refused = post(task, authorization);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("\"error\":\"unauthorized\"", "\"error_description\"");
            assertThat(probe.getLevel()).as("the task did not run").isNull();
        }
        assertThat(post(task, basic("ops", "ops-secret")).statusCode()).isEqualTo(200);
        assertThat(probe.getLevel()).isEqualTo(ch.qos.logback.classic.Level.TRACE);
    }

    private static HttpResponse<String> post(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
