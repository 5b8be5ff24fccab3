package io.tollgate.shared.topics;

import io.tollgate.shared.events.EventSerde;
import io.tollgate.testkit.KafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topics created and verified at once on three brokers, as a service does at start-up on a fresh production
 * cluster: a broker may not know a topic the controller has just created, and verifying must still succeed.
 */
class TopicProvisionerClusterIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.dedicated(3);

    @Test
    void freshTopicsOnThreeBrokersAreCreatedAndVerifiedWithTheirReplication() throws Exception {
        try (Admin admin = KAFKA.admin()) {
            for (int round = 0; round < 6; round++) {
                List<Topic<?, ?>> topics = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    topics.add(new Topic<>("fresh-" + round + "-" + i, Serdes.String(), EventSerde.INSTANCE, 6,
                            i % 2 == 0 ? Topic.Cleanup.COMPACT : Topic.Cleanup.DELETE, Duration.ofDays(1)));
                }
                new TopicProvisioner(admin, (short) 3, 2).ensure(topics, 30_000);
                assertThat(describe(admin, topics).values()).allSatisfy(t -> assertThat(t.partitions())
                        .hasSize(6).allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
            }
        }
    }

    /** This test's own read may reach a broker that does not know the topics yet either: it retries the same way. */
    private static Map<String, TopicDescription> describe(Admin admin, List<Topic<?, ?>> topics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(topics.stream().map(Topic::name).toList()).allTopicNames()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
