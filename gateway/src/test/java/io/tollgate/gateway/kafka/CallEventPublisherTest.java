package io.tollgate.gateway.kafka;

import com.codahale.metrics.MetricRegistry;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.testing.FreePorts;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** An absent broker costs events, never request time: publish never blocks, overflow is dropped and counted. */
class CallEventPublisherTest {

    @Test
    void anAbsentBrokerNeverBlocksPublishersAndOverflowIsCounted() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + FreePorts.find()); // nobody listens
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5");
        KafkaProducer<String, Event<?>> producer = new KafkaProducer<>(props, Topics.CALLS.keySerde().serializer(),
                Topics.CALLS.valueSerde().serializer());
        MetricRegistry metrics = new MetricRegistry();
        CallEventPublisher publisher = new CallEventPublisher(producer, Event.source("gateway", "test"), 100, metrics);
        publisher.start();
        try {
            ApiCall call = new ApiCall("demo-mobile", "alice", "mobile", "/mobile/", "GET", 200, 120,
                    ApiCall.Outcome.PROXIED, Instant.now());
            long start = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                publisher.publish(call);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            // 20,000 offers to a bounded queue: microseconds each, whatever the broker does
            assertThat(elapsed).isLessThan(Duration.ofMillis(500));
            assertThat(publisher.droppedCount()).isGreaterThan(0);
            assertThat(metrics.counter("gateway.events.dropped").getCount()).isEqualTo(publisher.droppedCount());
        } finally {
            publisher.stop();
        }
    }
}
