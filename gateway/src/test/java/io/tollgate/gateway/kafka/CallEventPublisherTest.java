package io.tollgate.gateway.kafka;

import com.codahale.metrics.MetricRegistry;
import io.tollgate.shared.events.ApiCall;
import io.tollgate.shared.events.Event;
import io.tollgate.testkit.FreePorts;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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

    /**
     * While a restarting broker has no metadata to give, every send fails its 5 ms max.block (reported through the
     * callback, or thrown). The sender thread waits for the broker and the queue absorbs the outage: every call
     * served during a broker restart still gets its api.call.
     */
    @Test
    void sendsRefusedForWantOfMetadataAreRetriedNotDropped() throws Exception {
        AtomicInteger refusals = new AtomicInteger(30);
        MockProducer<String, Event<?>> producer =
                new MockProducer<>(true, null,
                        Topics.CALLS.keySerde().serializer(), Topics.CALLS.valueSerde().serializer()) {
                    @Override
                    public synchronized Future<RecordMetadata>
                            send(ProducerRecord<String, Event<?>> record,
                                 Callback callback) {
                        int left = refusals.getAndDecrement();
                        if (left > 0) {
                            // what KafkaProducer does when the topic's metadata is missing: the callback, at once
                            TimeoutException refusal = new TimeoutException("Topic not present in metadata after 5 ms.");
                            if (left % 2 == 0) {
                                throw refusal;
                            }
                            callback.onCompletion(null, refusal);
                            return java.util.concurrent.CompletableFuture.failedFuture(refusal);
                        }
                        return super.send(record, callback);
                    }
                };
        MetricRegistry metrics = new MetricRegistry();
        CallEventPublisher publisher = new CallEventPublisher(producer, Event.source("gateway", "test"), 100, metrics);
        publisher.start();
        try {
            for (int i = 0; i < 3; i++) {
                publisher.publish(new ApiCall("demo-mobile", "alice", "mobile", "/mobile/", "GET", 200, 120,
                        ApiCall.Outcome.PROXIED, Instant.now()));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (producer.history().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(producer.history()).hasSize(3);
            assertThat(publisher.droppedCount()).isZero();
            assertThat(metrics.counter("gateway.events.stalled").getCount()).isPositive();
        } finally {
            publisher.stop();
        }
    }
}
