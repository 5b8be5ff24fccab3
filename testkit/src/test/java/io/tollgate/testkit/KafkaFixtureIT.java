package io.tollgate.testkit;

import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kafka fixture is a real broker: topics with their configs, produce/consume, transactions. */
class KafkaFixtureIT {

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();

    @Test
    void createsTheCatalogueWithItsCleanupPolicies() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        KAFKA.createTopics(Topics.ALL); // idempotent: verifies instead of failing

        try (Admin admin = KAFKA.admin()) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.REVOCATIONS.name());
            Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            var audit = new ConfigResource(ConfigResource.Type.TOPIC, Topics.AUTH_EVENTS.name());
            Config auditConfig = admin.describeConfigs(List.of(audit)).all().get(10, TimeUnit.SECONDS).get(audit);
            assertThat(auditConfig.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(30).toMillis()));
            assertThat(admin.describeTopics(List.of(Topics.CALLS.name())).allTopicNames().get()
                    .get(Topics.CALLS.name()).partitions()).hasSize(Topics.CALLS.partitions());
        }
    }

    @Test
    void producesAndConsumesEventsThroughTheCatalogueSerdes() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        Event<?> event = Event.of(Event.source("token-api", "it"), SampleEvents.login());
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.AUTH_EVENTS)) {
            producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), event.subject(), event)).get();
        }

        var records = KAFKA.readUntil(Topics.AUTH_EVENTS,
                rs -> rs.stream().anyMatch(r -> r.value().id().equals(event.id())), Duration.ofSeconds(30));

        var mine = records.stream().filter(r -> r.value().id().equals(event.id())).toList();
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).key()).isEqualTo("alice");
        assertThat(mine.get(0).value().dataAs(LoginSucceeded.class).familyId()).isEqualTo("fam-1");
    }

    @Test
    void supportsTransactionsAndHidesAbortedRecords() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fixture-it-" + System.nanoTime());
        var serde = Topics.POLICY_DECISIONS.valueSerde();
        Event<?> committed = Event.of(Event.source("policy-worker", "it"), SampleEvents.decision());
        Event<?> aborted = Event.of(Event.source("policy-worker", "it"), SampleEvents.decision());
        try (var producer = new KafkaProducer<>(props, Topics.POLICY_DECISIONS.keySerde().serializer(), serde.serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.POLICY_DECISIONS.name(), "dave", aborted));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.POLICY_DECISIONS.name(), "dave", committed));
            producer.commitTransaction();
        }

        var records = KAFKA.readUntil(Topics.POLICY_DECISIONS,
                rs -> rs.stream().anyMatch(r -> r.value().id().equals(committed.id())), Duration.ofSeconds(30));

        assertThat(records).extracting(r -> r.value().id()).contains(committed.id()).doesNotContain(aborted.id());
    }
}
