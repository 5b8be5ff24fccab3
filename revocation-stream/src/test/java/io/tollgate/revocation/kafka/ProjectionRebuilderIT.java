package io.tollgate.revocation.kafka;

import io.tollgate.revocation.core.ProjectionApplier;
import io.tollgate.revocation.redis.InMemoryRedisSink;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rebuild's order against a real broker. While a rebuild runs, token-api rotates refresh tokens against
 * what Redis holds: a family written before its revocation (or before its user's not-before or DENY decision)
 * could be refreshed in between, and the new tokens of a revoked user would outlive the rebuild (their
 * {@code iat} is after the not-before). So every revocation and decision must be in Redis before any family.
 */
class ProjectionRebuilderIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();

    private static final URI SOURCE = Event.source("test", "rebuild-order");

    @Test
    void everyRevocationAndDecisionIsWrittenBeforeAnyFamily() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // The families first on the log, their revocations after: the order an auditor sees in real life.
        try (Producer<String, Event<?>> auth = KAFKA.producer(Topics.AUTH_EVENTS);
             Producer<String, Event<?>> revocations = KAFKA.producer(Topics.REVOCATIONS);
             Producer<String, Event<?>> decisions = KAFKA.producer(Topics.POLICY_DECISIONS)) {
            for (int i = 0; i < 1_200; i++) {
                String user = user(run, i % 40);
                send(auth, Topics.AUTH_EVENTS, user, new LoginSucceeded(user, "demo-mobile", "demo-mobile-app",
                        "sub-1", "basic", family(run, i), 0, Hashes.sha256(run + i), "jti-" + run + "-" + i, "read",
                        now.plusSeconds(300), now.plus(Duration.ofDays(30)), "127.0.0.1"));
            }
            for (int i = 0; i < 1_200; i += 3) {
                Revocation r = new Revocation(Revocation.Kind.FAMILY, user(run, i % 40), "demo-mobile", family(run, i),
                        null, now, now.plus(Duration.ofDays(30)), "token-api", "refresh token reuse");
                send(revocations, Topics.REVOCATIONS, r.key(), r);
            }
            for (int u = 0; u < 40; u += 4) {
                Revocation r = new Revocation(Revocation.Kind.USER, user(run, u), null, null, null, now,
                        now.plus(Duration.ofDays(30)), "ops", "lost phone");
                send(revocations, Topics.REVOCATIONS, r.key(), r);
                send(decisions, Topics.POLICY_DECISIONS, user(run, u + 1), new PolicyDecision(user(run, u + 1),
                        "demo-mobile", null, PolicyDecision.Outcome.DENY, "license", "license expired", now));
            }
            auth.flush();
            revocations.flush();
            decisions.flush();
        }

        InMemoryRedisSink sink = new InMemoryRedisSink();
        KafkaFactory kafka = new KafkaFactory();
        kafka.bootstrapServers = KAFKA.bootstrapServers();
        assertThat(sink.claimRebuild("rebuild-" + run, ProjectionRebuilder.STALE_AFTER, true)).isTrue();
        assertThat(new ProjectionRebuilder(kafka, sink, new ProjectionApplier(sink, Clock.systemUTC(),
                Duration.ofDays(30))).rebuild("rebuild-" + run)).isPositive();

        List<String> writes = sink.writes;
        int firstFamily = indexOf(writes, "family fam-" + run + "-");
        assertThat(firstFamily).as("families rebuilt").isNotNegative();
        long facts = 0;
        for (int i = 0; i < writes.size(); i++) {
            String write = writes.get(i);
            if (write.startsWith("marker " + RedisKeys.revokedFamily("fam-" + run))
                    || write.startsWith("notBefore " + RedisKeys.userNotBefore("rb-" + run))
                    || write.startsWith("decision " + RedisKeys.decision("rb-" + run))) {
                assertThat(i).as("%s written after a family (write %d)", write, firstFamily).isLessThan(firstFamily);
                facts++;
            }
        }
        assertThat(facts).as("revocations and decisions rebuilt").isEqualTo(400 + 10 + 10);
        assertThat(sink.projectionState()).contains(RedisKeys.PROJECTION_READY);
    }

    private static int indexOf(List<String> writes, String prefix) {
        for (int i = 0; i < writes.size(); i++) {
            if (writes.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static String user(String run, int n) {
        return "rb-" + run + "-" + n;
    }

    private static String family(String run, int n) {
        return "fam-" + run + "-" + n;
    }

    private static void send(Producer<String, Event<?>> producer, Topic<String, Event<?>> topic, String key,
                             EventData data) {
        producer.send(new ProducerRecord<>(topic.name(), key, Event.of(SOURCE, data)));
    }
}
