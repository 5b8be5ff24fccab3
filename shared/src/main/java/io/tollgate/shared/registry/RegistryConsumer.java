package io.tollgate.shared.registry;

import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.MalformedEventException;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads the whole {@code tollgate.registry} topic into a {@link RegistryView} and follows it. Every node
 * reads every partition (no consumer group): each holds the full view. The view reports ready once it
 * has reached the end offsets the topic had at start-up; {@link #start()} waits for that, so a service
 * is never healthy with a partial registry. Stops with {@code wakeup()}.
 */
public final class RegistryConsumer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryConsumer.class);

    private final KafkaFactory kafka;
    private final RegistryView view;
    private final String clientId;
    private final Duration startupTimeout;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public RegistryConsumer(KafkaFactory kafka, RegistryView view, String clientId, Duration startupTimeout) {
        this.kafka = kafka;
        this.view = view;
        this.clientId = clientId;
        this.startupTimeout = startupTimeout;
    }

    @Override
    public void start() throws Exception {
        consumer = new KafkaConsumer<>(kafka.consumerProperties(clientId, null), new StringDeserializer(),
                new ByteArrayDeserializer());
        thread = new Thread(this::run, "registry-consumer");
        thread.setDaemon(true);
        thread.start();
        if (!caughtUp.await(startupTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("event=registry.not_ready_after timeout={}", startupTimeout);
        }
    }

    /** Waits up to {@code timeout} for the initial catch-up. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty()) {
                partitions = consumer.partitionsFor(Topics.REGISTRY.name(), Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            checkCaughtUp(end);
            var deserializer = Topics.REGISTRY.valueSerde().deserializer();
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Event<?> event = null;
                    try {
                        event = record.value() == null ? null : deserializer.deserialize(record.topic(), record.value());
                    } catch (MalformedEventException e) {
                        LOG.warn("event=registry.malformed_record partition={} offset={} reason=\"{}\"",
                                record.partition(), record.offset(), e.getMessage());
                        continue;
                    }
                    view.apply(record.key(), event);
                    view.advance(record.partition(), record.offset() + 1);
                }
                for (TopicPartition partition : partitions) { // past transaction markers and compacted gaps too
                    view.advance(partition.partition(), consumer.position(partition));
                }
                if (!view.isReady()) {
                    checkCaughtUp(end);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("event=registry.consumer_failed error={}", e.toString());
            view.fail("the registry consumer stopped: " + e.getClass().getSimpleName());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void checkCaughtUp(Map<TopicPartition, Long> end) {
        for (var entry : end.entrySet()) {
            if (consumer.position(entry.getKey()) < entry.getValue()) {
                return;
            }
        }
        if (!view.isReady()) {
            view.markReady();
            caughtUp.countDown();
            LOG.info("event=registry.ready applications={} plans={} subscriptions={}", view.applications().size(),
                    view.plans().size(), view.allSubscriptions().size());
        }
    }

    @Override
    public void stop() throws Exception {
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }
}
