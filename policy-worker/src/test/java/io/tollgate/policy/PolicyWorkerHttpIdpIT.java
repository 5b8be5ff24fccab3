package io.tollgate.policy;

import com.codahale.metrics.Gauge;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.PolicyDecision.Outcome;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.HttpIdentityProviderServer;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * policy-worker started from {@code config/http-idp.yml} against a real broker, Redis and an HTTP identity provider
 * (shared's {@link HttpIdentityProviderServer} playing the customer's): accounts and licences come from the provider's
 * profiles; a provider that is down, failing or slow is no verdict: no decision and no revocation while it lasts,
 * the decision once it answers again.
 */
class PolicyWorkerHttpIdpIT {
    /** A broker of its own: on the shared one this worker would decide (and deny) other classes' users. */
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.dedicated(1);
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension
    @Order(3)
    static final HttpIdentityProviderServer IDP = new HttpIdentityProviderServer();
    @RegisterExtension
    @Order(4)
    static final BeforeAllCallback REGISTRY = context -> {
        try (Jedis jedis = REDIS.jedis()) { // what revocation-stream does once Redis holds every fact
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
        KAFKA.createTopics(Topics.ALL);
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REGISTRY)) {
            DemoRegistry.publish(producer, Event.source("test", "it"));
        }
    };
    @RegisterExtension
    @Order(5)
    static final DropwizardAppExtension<PolicyWorkerConfiguration> APP = new DropwizardAppExtension<>(
            PolicyWorkerApplication.class, "config/http-idp.yml",
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("kafka.bootstrapServers", KAFKA::bootstrapServers),
            ConfigOverride.config("redis.port", () -> Integer.toString(REDIS.port())),
            ConfigOverride.config("identityProvider.url", IDP::checkUrl),
            ConfigOverride.config("identityProvider.profileUrl", IDP::profileUrl),
            ConfigOverride.config("identityProvider.requestTimeout", "1s"),
            ConfigOverride.config("identityProvider.retries", "1"),
            ConfigOverride.config("loadBudget", "1s"),
            ConfigOverride.config("groupId", "pw-http-it-" + UUID.randomUUID()),
            ConfigOverride.config("node", "it-" + UUID.randomUUID()));

    private static final TokenApiTraffic TRAFFIC = new TokenApiTraffic(KAFKA, REDIS);

    @AfterAll
    static void close() {
        TRAFFIC.close();
    }

    @AfterEach
    void providerBack() {
        IDP.start();
        IDP.recover();
    }

    private static LoginSucceeded login(String user, String family) {
        return TRAFFIC.login(user, DemoRegistry.CLIENT_ID, DemoRegistry.APPLICATION_ID, DemoRegistry.SUBSCRIPTION_ID,
                "basic", family, Instant.now());
    }

    private static void send(LoginSucceeded login) {
        TRAFFIC.send(List.of(login));
    }

    private static List<PolicyDecision> decisionsFor(String user, Duration wait) {
        return TRAFFIC.decisions(user, 1, wait);
    }

    private static List<Revocation> revocationsOf(String user) {
        return TRAFFIC.revocations(user, Duration.ofSeconds(1));
    }

    @SuppressWarnings("unchecked")
    private static long gauge(String name) {
        return ((Gauge<Long>) APP.getEnvironment().metrics().getGauges().get(name)).getValue();
    }

    private static void newUser(String name, boolean disabled, Instant license) {
        IDP.put(new HttpIdentityProviderServer.User(name, name + "-secret", List.of("mobile-users"), disabled,
                license));
    }

    /** Users of this run only, so no test reads another's decisions. */
    private static final String RUN = "hp" + UUID.randomUUID().toString().substring(0, 6) + "-";

    @Test
    void theProvidersProfilesDecide() {
        String alice = RUN + "alice";
        String dave = RUN + "dave";
        String gina = RUN + "gina";
        String hugo = RUN + "hugo";
        String nobody = RUN + "nobody";
        newUser(alice, false, HttpIdentityProviderServer.VALID_LICENSE);
        newUser(dave, false, HttpIdentityProviderServer.EXPIRED_LICENSE);
        newUser(gina, true, HttpIdentityProviderServer.VALID_LICENSE);
        newUser(hugo, false, null);
        for (String user : List.of(alice, dave, gina, hugo, nobody)) {
            send(login(user, "fam-" + user + "-1"));
        }

        assertThat(decisionsFor(alice, Duration.ofSeconds(30))).extracting(PolicyDecision::outcome)
                .containsExactly(Outcome.ALLOW);
        assertThat(decisionsFor(dave, Duration.ofSeconds(30)))
                .extracting(PolicyDecision::outcome, PolicyDecision::policy, PolicyDecision::reason)
                .containsExactly(tuple(Outcome.DENY, "license", "license expired"));
        assertThat(decisionsFor(gina, Duration.ofSeconds(30)))
                .extracting(PolicyDecision::outcome, PolicyDecision::policy, PolicyDecision::reason)
                .containsExactly(tuple(Outcome.DENY, "account-status", "account disabled"));
        assertThat(decisionsFor(hugo, Duration.ofSeconds(30)))
                .extracting(PolicyDecision::outcome, PolicyDecision::policy, PolicyDecision::reason)
                .as("licenseExpires null: no licence").containsExactly(tuple(Outcome.DENY, "license", "no license"));
        assertThat(decisionsFor(nobody, Duration.ofSeconds(30)))
                .extracting(PolicyDecision::outcome, PolicyDecision::policy, PolicyDecision::reason)
                .as("404").containsExactly(tuple(Outcome.DENY, "account-status", "account not found"));
        assertThat(revocationsOf(dave)).extracting(Revocation::kind).containsExactly(Revocation.Kind.USER);
        assertThat(revocationsOf(alice)).isEmpty();
    }

    private static final String IVAN = RUN + "ivan";
    private static final String JUDY = RUN + "judy";

    /** Refused connections, then 5xx: no decision and no revocation while it lasts; the decision after. */
    @Test
    void aProviderThatIsDownIsRetriedNeverADenial() {
        newUser(IVAN, false, HttpIdentityProviderServer.VALID_LICENSE);
        long retriesBefore = gauge("policy.source.retries");
        IDP.stop();
        send(login(IVAN, "fam-" + IVAN));
        assertThat(decisionsFor(IVAN, Duration.ofSeconds(4))).as("no decision while refused").isEmpty();
        assertThat(gauge("policy.source.unavailable")).isEqualTo(1);

        IDP.start();
        IDP.failWith(503);
        int reads = IDP.profileReads();
        assertThat(decisionsFor(IVAN, Duration.ofSeconds(4))).as("no decision on 503").isEmpty();
        assertThat(IDP.profileReads()).as("the worker keeps asking").isGreaterThan(reads);
        assertThat(gauge("policy.source.retries")).isGreaterThan(retriesBefore);
        assertThat(revocationsOf(IVAN)).isEmpty();

        IDP.recover();
        assertThat(decisionsFor(IVAN, Duration.ofSeconds(30))).extracting(PolicyDecision::outcome)
                .containsExactly(Outcome.ALLOW);
        assertThat(gauge("policy.source.unavailable")).isZero();
        assertThat(revocationsOf(IVAN)).isEmpty();
        assertThat(KAFKA.readAll(Topics.POLICY_DEAD_LETTERS, Duration.ofSeconds(1))).as("never dead-lettered")
                .noneMatch(r -> IVAN.equals(r.key()));
    }

    /** Answers after 3 s against a 1 s request timeout: an outage too; the decision comes once it is fast again. */
    @Test
    void aSlowProviderIsAnOutageToo() {
        newUser(JUDY, true, HttpIdentityProviderServer.VALID_LICENSE);
        IDP.delay(Duration.ofSeconds(3));
        send(login(JUDY, "fam-" + JUDY));
        assertThat(decisionsFor(JUDY, Duration.ofSeconds(6))).as("no decision while slow").isEmpty();
        assertThat(revocationsOf(JUDY)).as("not even for a disabled user").isEmpty();

        IDP.recover();
        assertThat(decisionsFor(JUDY, Duration.ofSeconds(30)))
                .extracting(PolicyDecision::outcome, PolicyDecision::reason)
                .containsExactly(tuple(Outcome.DENY, "account disabled"));
        assertThat(revocationsOf(JUDY)).extracting(Revocation::kind).containsExactly(Revocation.Kind.USER);
    }

    /**
     * A provider answering each profile read in 300 ms (under the 1 s timeout): slow, not down. A batch of eight
     * logins takes longer than the 1 s load budget to gather, so it is decided in parts; each login exactly once.
     */
    @Test
    void aSlowButAnsweringProviderSplitsTheBatchAndDecidesEveryLoginOnce() {
        List<String> users = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String user = RUN + "slow" + i;
            newUser(user, false, HttpIdentityProviderServer.VALID_LICENSE);
            users.add(user);
        }
        long splitBefore = gauge("policy.batches.split");
        IDP.delay(Duration.ofMillis(300));
        TRAFFIC.send(users.stream().map(user -> login(user, "fam-" + user)).toList());

        KAFKA.readUntil(Topics.POLICY_DECISIONS, records -> records.stream()
                .filter(r -> users.contains(r.key())).count() >= users.size(), Duration.ofSeconds(60));
        List<PolicyDecision> decisions = KAFKA.readAll(Topics.POLICY_DECISIONS, Duration.ofSeconds(2)).stream()
                .filter(r -> users.contains(r.key())).map(r -> r.value().dataAs(PolicyDecision.class)).toList();
        assertThat(decisions).extracting(PolicyDecision::userId).containsExactlyInAnyOrderElementsOf(users);
        assertThat(decisions).extracting(PolicyDecision::outcome).containsOnly(Outcome.ALLOW);
        assertThat(gauge("policy.batches.split")).isGreaterThan(splitBefore);
        assertThat(gauge("policy.source.unavailable")).isZero();
    }
}
