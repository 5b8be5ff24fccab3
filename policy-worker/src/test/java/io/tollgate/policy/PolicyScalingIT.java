package io.tollgate.policy;

import com.codahale.metrics.MetricRegistry;
import io.tollgate.policy.core.AccountStatusPolicy;
import io.tollgate.policy.core.ContextLoader;
import io.tollgate.policy.core.DeviceLimitPolicy;
import io.tollgate.policy.core.LicensePolicy;
import io.tollgate.policy.core.PolicyChain;
import io.tollgate.policy.kafka.PolicyLoop;
import io.tollgate.policy.ldap.DirectoryClient;
import io.tollgate.policy.ldap.LdapFactory;
import io.tollgate.policy.license.ProfileLicenseSourceFactory;
import io.tollgate.policy.redis.FamilyReader;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.LdapExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Two instances in one group share the partitions; one stops mid-stream; no decision is lost or doubled. */
class PolicyScalingIT {
    @RegisterExtension
    @Order(1)
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    @Order(2)
    static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension
    @Order(3)
    static final LdapExtension LDAP = new LdapExtension();

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private PolicyLoop instance(String group, String node) throws Exception {
        KafkaFactory kafka = new KafkaFactory();
        kafka.bootstrapServers = KAFKA.bootstrapServers();
        LdapFactory ldap = new LdapFactory();
        ldap.urls = java.util.List.of(LDAP.url());
        ldap.bindDn = io.tollgate.testkit.LdapDirectory.ADMIN_DN;
        ldap.bindPassword = io.tollgate.shared.crypto.Secret.of(io.tollgate.testkit.LdapDirectory.ADMIN_PASSWORD);
        DirectoryClient directory = new DirectoryClient(ldap.pool(), ldap);
        RegistryView registry = new RegistryView();
        DemoRegistry.records().forEach(r -> registry.apply(r.subject(), Event.of(Event.source("test", "it"), r)));
        ContextLoader loader = new ContextLoader(directory, new ProfileLicenseSourceFactory().build(),
                new FamilyReader(REDIS.pool()), registry, Clock.systemUTC());
        PolicyChain chain = new PolicyChain(List.of(new AccountStatusPolicy(), new LicensePolicy(),
                new DeviceLimitPolicy()), new MetricRegistry());
        PolicyLoop loop = new PolicyLoop(kafka, group, "pw-scale-" + node + "-" + run, loader, chain,
                Event.source("policy-worker", node), Duration.ofDays(30));
        loop.start();
        return loop;
    }

    private void produce(int from, int to) {
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.AUTH_EVENTS)) {
            for (int i = from; i < to; i++) {
                String user = "scale-" + run + "-" + i; // not in the directory: a DENY decision each
                EventData login = new LoginSucceeded(user, DemoRegistry.CLIENT_ID, DemoRegistry.APPLICATION_ID,
                        DemoRegistry.SUBSCRIPTION_ID, "basic", "fam-" + run + "-" + i, 0, String.format("%043d", i),
                        "jti-" + i, "read", Instant.now().plusSeconds(300), Instant.now().plus(Duration.ofDays(30)),
                        "127.0.0.1");
                producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), user, Event.of(Event.source("t", "t"),
                        login)));
            }
            producer.flush();
        }
    }

    private List<PolicyDecision> decisions(int expected) {
        return KAFKA.readUntil(Topics.POLICY_DECISIONS, records -> records.stream()
                                .filter(r -> r.key().startsWith("scale-" + run)).count() >= expected,
                        Duration.ofSeconds(60)).stream()
                .filter(r -> r.key().startsWith("scale-" + run)).map(r -> r.value().dataAs(PolicyDecision.class))
                .toList();
    }

    @Test
    void twoInstancesShareThePartitionsAndSurviveOneStopping() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        try (Jedis jedis = REDIS.jedis()) { // no revocation-stream here: its projection counts as ready
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
        String group = "pw-scale-" + run;
        PolicyLoop a = instance(group, "a");
        PolicyLoop b = instance(group, "b");
        try {
            await(() -> !a.assigned().isEmpty() && !b.assigned().isEmpty()
                    && a.assigned().size() + b.assigned().size() == Topics.AUTH_EVENTS.partitions(),
                    Duration.ofSeconds(60));
            produce(0, 40);
            assertThat(decisions(40)).hasSize(40);
            assertThat(a.processed()).isPositive();
            assertThat(b.processed()).isPositive();

            produce(40, 80);
            a.stop(); // stops mid-stream: its open transaction is aborted, b takes its partitions over
            await(() -> b.assigned().size() == Topics.AUTH_EVENTS.partitions(), Duration.ofSeconds(60));
            List<PolicyDecision> all = decisions(80);
            Thread.sleep(1_000);
            all = KAFKA.readAll(Topics.POLICY_DECISIONS, Duration.ofMillis(500)).stream()
                    .filter(r -> r.key().startsWith("scale-" + run))
                    .map(r -> r.value().dataAs(PolicyDecision.class)).toList();
            Set<String> families = new HashSet<>();
            all.forEach(d -> families.add(d.familyId()));
            assertThat(all).hasSize(80);
            assertThat(families).hasSize(80);
        } finally {
            a.stop();
            b.stop();
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(50);
        }
    }
}
