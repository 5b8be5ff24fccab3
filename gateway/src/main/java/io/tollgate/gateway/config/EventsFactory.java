package io.tollgate.gateway.config;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.tollgate.gateway.kafka.CallEventPublisher;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.kafka.KafkaFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.Properties;

/** The api.call event buffer: bounded, dropped (and counted) when full, never blocking a request. */
public class EventsFactory {

    public boolean enabled = true;

    @Min(1)
    public int queueCapacity = 50_000;

    /** The producer's max.block.ms: how long a send may wait for metadata or buffer space. */
    @NotNull
    public Duration maxBlock = Duration.milliseconds(5);

    /**
     * The producer's linger.ms: how long api.call events wait to fill a batch. The events feed usage counts, never
     * a request's answer; each batch costs the broker a produce request, so at 10,000 calls/s a 100 ms linger sends
     * 60 batches/s (one per partition) instead of 300 with 20 ms.
     */
    @NotNull
    public Duration linger = Duration.milliseconds(100);

    /**
     * The api.call producer's compression.type. {@code snappy} (the default) writes about as few bytes as LZ4
     * (145 against 138 bytes per 480-byte event) and takes its block buffers from snappy-java's recycling
     * allocator, where LZ4 allocates two new 64 KiB arrays per batch (at 300 events a batch: 26 against
     * 566 bytes of heap per event); {@code zstd} writes the fewest bytes (80 per event) for more CPU and a
     * 16 KiB buffer per batch; {@code none} about 506.
     */
    @NotNull
    @Pattern(regexp = "none|snappy|lz4|zstd|gzip")
    public String compression = "snappy";

    /** The api.call publisher of gateway {@code node}, or null when events are disabled. */
    public CallEventPublisher build(KafkaFactory kafka, String node, MetricRegistry metrics) {
        if (!enabled) {
            return null;
        }
        Properties props = kafka.producerProperties("gateway-calls-" + node);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMilliseconds()));
        props.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger.toMilliseconds()));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        // the publisher writes the bytes of Topics.CALLS's serdes itself, into arrays it reuses
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer());
        return new CallEventPublisher(producer, Event.source("gateway", node), queueCapacity, metrics);
    }
}
