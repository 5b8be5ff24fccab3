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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
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
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer());
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
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
                    @Override
                    public synchronized Future<RecordMetadata>
                            send(ProducerRecord<byte[], byte[]> record,
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

    /**
     * Each record carries, when {@code send} takes it, the bytes of {@link Topics#CALLS}'s serdes for its call: the
     * key {@code <client>|<user>}, the value the call's CloudEvent. The publisher reuses its arrays from one record
     * to the next (the producer copies them during {@code send}), so the bytes are read there.
     */
    @Test
    void eachRecordHoldsTheTopicSerdesBytesOfItsCall() throws Exception {
        List<ApiCall> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(new ApiCall(i % 3 == 0 ? null : "client-" + (i % 2), i % 4 == 0 ? null : "us\u00e9r" + i,
                    "mobile", "/mobile/", "GET", 200 + i, 100 + i % 7, ApiCall.Outcome.PROXIED,
                    Instant.parse("2026-12-07T10:00:00Z").plusMillis(i)));
        }
        List<String> keys = new CopyOnWriteArrayList<>();
        List<Event<?>> values = new CopyOnWriteArrayList<>();
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
                    @Override
                    public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record,
                                                                    Callback callback) {
                        assertThat(record.topic()).isEqualTo(Topics.CALLS.name());
                        keys.add(Topics.CALLS.keySerde().deserializer().deserialize(record.topic(), record.key()));
                        byte[] value = record.value();
                        Event<?> event = Topics.CALLS.valueSerde().deserializer().deserialize(record.topic(), value);
                        // byte for byte what the topic's value serializer writes for the decoded event
                        assertThat(value).isEqualTo(
                                Topics.CALLS.valueSerde().serializer().serialize(record.topic(), event));
                        values.add(event);
                        return super.send(record, callback);
                    }
                };
        CallEventPublisher publisher = new CallEventPublisher(producer, Event.source("gateway", "test"), 100,
                new MetricRegistry());
        publisher.start();
        try {
            calls.forEach(publisher::publish);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < calls.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            publisher.stop();
        }
        List<Object> data = values.stream().<Object>map(Event::data).toList();
        assertThat(data).containsExactlyElementsOf(calls);
        assertThat(keys).containsExactlyElementsOf(calls.stream().map(ApiCall::key).toList());
        assertThat(values).extracting(Event::id).doesNotHaveDuplicates();
        assertThat(values).allSatisfy(event -> {
            assertThat(event.source()).isEqualTo(Event.source("gateway", "test"));
            assertThat(event.time().getNano() % 1_000_000).isZero(); // milliseconds, as Event.of
        });
    }
}
