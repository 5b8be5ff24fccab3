package io.tollgate.tokenapi.kafka;

import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

import java.time.Duration;

/**
 * Creates the topics at start-up, loads the producer's metadata for the topics it writes (so a later
 * broker outage does not block sends on metadata), and flushes the producer on stop.
 */
public final class KafkaStartup implements Managed {
    private final KafkaFactory kafka;
    private final Admin admin;
    private final Producer<String, Event<?>> producer;

    public KafkaStartup(KafkaFactory kafka, Admin admin, Producer<String, Event<?>> producer) {
        this.kafka = kafka;
        this.admin = admin;
        this.producer = producer;
    }

    @Override
    public void start() throws Exception {
        kafka.ensureTopics(admin);
        producer.partitionsFor(Topics.AUTH_EVENTS.name());
        producer.partitionsFor(Topics.REVOCATIONS.name());
    }

    @Override
    public void stop() {
        producer.flush();
        producer.close(Duration.ofSeconds(10));
    }
}
