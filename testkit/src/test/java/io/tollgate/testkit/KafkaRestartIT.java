package io.tollgate.testkit;

import io.tollgate.shared.events.Event;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A dedicated broker can be stopped mid-test and restarted with its data; a buffered send survives. */
class KafkaRestartIT {

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.dedicated(1);

    @Test
    void brokerRestartsWithItsDataAndBufferedSendsAreDelivered() throws Exception {
        KAFKA.createTopics(Topics.ALL);
        Event<?> before = Event.of(Event.source("it", "n"), SampleEvents.failed());
        Event<?> during = Event.of(Event.source("it", "n"), SampleEvents.locked());
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.AUTH_EVENTS)) {
            producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), "alice", before)).get(10, TimeUnit.SECONDS);

            long t0 = System.nanoTime();
            KAFKA.cluster().stopNode(0);
            Future<?> pending = producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), "erin", during));
            Thread.sleep(2_000);
            assertThat(pending).isNotDone();
            KAFKA.cluster().startNode(0);
            pending.get(60, TimeUnit.SECONDS);
            System.out.printf("kafka stop+restart round trip: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }

        var records = KAFKA.readUntil(Topics.AUTH_EVENTS, rs -> rs.size() >= 2, Duration.ofSeconds(30));
        assertThat(records).extracting(r -> r.value().id()).containsExactlyInAnyOrder(before.id(), during.id());
    }
}
