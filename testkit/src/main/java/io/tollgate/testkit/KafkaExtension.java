package io.tollgate.testkit;

import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.TopicProvisioner;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * JUnit 5 extension giving a test class a real Kafka broker.
 *
 * <ul>
 *   <li>default: a KRaft broker in a child JVM ({@link KafkaCluster}), shared by every test class of the
 *       test JVM that asks for {@link #shared()}, or private to the class with {@link #dedicated(int)}
 *       (needed to stop and restart it);</li>
 *   <li>{@code TOLLGATE_TEST_KAFKA=host:port}: an existing broker (stop/restart unsupported);</li>
 *   <li>{@code TOLLGATE_FIXTURES=testcontainers}: a broker in Docker, for machines with an engine.</li>
 * </ul>
 *
 * <pre>{@code @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.shared();}</pre>
 */
public final class KafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private static KafkaCluster sharedCluster;
    private static String sharedBootstrap;

    private final boolean dedicated;
    private final int nodes;
    private KafkaCluster cluster;
    private String bootstrap;
    private AutoCloseable container;

    private KafkaExtension(boolean dedicated, int nodes) {
        this.dedicated = dedicated;
        this.nodes = nodes;
    }

    /** One broker for the whole test JVM, started on first use. */
    public static KafkaExtension shared() {
        return new KafkaExtension(false, 1);
    }

    /** A cluster of {@code nodes} brokers for this test class alone; it can be stopped and restarted. */
    public static KafkaExtension dedicated(int nodes) {
        return new KafkaExtension(true, nodes);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String existing = System.getenv("TOLLGATE_TEST_KAFKA");
        if (existing != null && !existing.isBlank() && !dedicated) {
            bootstrap = existing;
            return;
        }
        if ("testcontainers".equalsIgnoreCase(System.getenv("TOLLGATE_FIXTURES")) && !dedicated) {
            var kafka = new org.testcontainers.kafka.KafkaContainer("apache/kafka:4.1.1");
            kafka.start();
            container = kafka;
            bootstrap = kafka.getBootstrapServers();
            return;
        }
        if (dedicated) {
            cluster = KafkaCluster.create(nodes).start();
            bootstrap = cluster.bootstrapServers();
        } else {
            synchronized (KafkaExtension.class) {
                if (sharedCluster == null) {
                    KafkaCluster started = KafkaCluster.create(1).start();
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-fixture-close"));
                    sharedCluster = started;
                    sharedBootstrap = started.bootstrapServers();
                }
                cluster = sharedCluster;
                bootstrap = sharedBootstrap;
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dedicated && cluster != null) {
            cluster.close();
        }
        if (container != null) {
            container.close();
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** The cluster this extension started, for stop/kill/restart; fails for an external broker. */
    public KafkaCluster cluster() {
        if (cluster == null) {
            throw new UnsupportedOperationException("this broker was not started by the fixture");
        }
        if (!dedicated) {
            throw new UnsupportedOperationException("stop and restart need KafkaExtension.dedicated(n)");
        }
        return cluster;
    }

    public short replicationFactor() {
        return cluster == null ? 1 : cluster.replicationFactor();
    }

    public int minInsyncReplicas() {
        return cluster == null ? 1 : cluster.minInsyncReplicas();
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(props);
    }

    /** Creates (or verifies) the catalogue's topics on this broker. */
    public void createTopics(Collection<Topic<?, ?>> topics) throws Exception {
        try (Admin admin = admin()) {
            new TopicProvisioner(admin, replicationFactor(), minInsyncReplicas()).ensure(topics, 30_000);
        }
    }

    public <K, V> Producer<K, V> producer(Topic<K, V> topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Keep partition metadata while the broker is stopped (the default "rebootstrap" forgets it, and a send
        // during the outage would then block for max.block.ms and fail instead of being buffered).
        props.put(CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        return new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Every committed record on {@code topic} from the beginning, read until {@code quiet} passes with nothing new. */
    public <K, V> List<ConsumerRecord<K, V>> readAll(Topic<K, V> topic, Duration quiet) {
        return read(topic, null, Duration.ofMinutes(2), quiet);
    }

    /**
     * Reads {@code topic} from the beginning (read-committed) until {@code done} holds for the records read
     * so far, or until {@code timeout}; returns what was read either way.
     */
    public <K, V> List<ConsumerRecord<K, V>> readUntil(Topic<K, V> topic, Predicate<List<ConsumerRecord<K, V>>> done,
                                                        Duration timeout) {
        return read(topic, done, timeout, null);
    }

    private <K, V> List<ConsumerRecord<K, V>> read(Topic<K, V> topic, Predicate<List<ConsumerRecord<K, V>>> done,
                                                    Duration timeout, Duration quiet) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "fixture-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastNew = System.nanoTime();
            while (System.nanoTime() < deadline) {
                var batch = consumer.poll(Duration.ofMillis(100));
                batch.forEach(out::add);
                if (!batch.isEmpty()) {
                    lastNew = System.nanoTime();
                }
                if (done != null && done.test(out)) {
                    return out;
                }
                if (quiet != null && System.nanoTime() - lastNew > quiet.toNanos()) {
                    return out;
                }
            }
        }
        return out;
    }
}
