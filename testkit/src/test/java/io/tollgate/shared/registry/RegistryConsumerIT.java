package io.tollgate.shared.registry;

import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryConsumerIT {

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();

    @Test
    void viewIsCompleteBeforeStartReturnsAndFollowsChanges() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        var source = Event.source("ops", "it");
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REGISTRY)) {
            DemoRegistry.publish(producer, source);
        }
        KafkaFactory kafka = new KafkaFactory();
        kafka.bootstrapServers = KAFKA.bootstrapServers();
        RegistryView view = new RegistryView();
        RegistryConsumer consumer = new RegistryConsumer(kafka, view, "registry-it", Duration.ofSeconds(30));
        consumer.start();
        try {
            assertThat(view.isReady()).isTrue();
            assertThat(view.application(DemoRegistry.CLIENT_ID)).contains(DemoRegistry.APPLICATION);
            assertThat(view.subscription(DemoRegistry.CLIENT_ID, "mobile").map(SubscriptionRecord::planId))
                    .contains("basic");
            assertThat(view.plan("premium").orElseThrow().scopes()).containsExactlyInAnyOrder("read", "write");

            var upgraded = new SubscriptionRecord(DemoRegistry.SUBSCRIPTION_ID, DemoRegistry.APPLICATION_ID,
                    DemoRegistry.CLIENT_ID, "mobile", "premium", SubscriptionRecord.Status.APPROVED, Instant.now());
            try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REGISTRY)) {
                producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), upgraded.subject(),
                        Event.of(source, upgraded))).get();
                producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), "app:" + DemoRegistry.CLIENT_ID, null)).get();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (view.application(DemoRegistry.CLIENT_ID).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(view.application(DemoRegistry.CLIENT_ID)).isEmpty();
            assertThat(view.subscription(DemoRegistry.CLIENT_ID, "mobile").orElseThrow().planId()).isEqualTo("premium");
        } finally {
            consumer.stop();
        }
    }
}
