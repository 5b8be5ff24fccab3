package io.tollgate.cli;

import io.tollgate.shared.kafka.KafkaFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** Kafka clients for the CLI: read-only consumers without a group (assign + seek); the CLI writes nothing to Kafka. */
final class KafkaAccess {
    private KafkaAccess() {
    }

    private static KafkaFactory factory(String bootstrap) {
        KafkaFactory factory = new KafkaFactory();
        factory.bootstrapServers = bootstrap;
        factory.deliveryTimeout = Duration.ofSeconds(60);
        return factory;
    }

    /**
     * Settings a client properties file may not change: the reader has no group (nothing is committed, no group
     * ACL is needed), creates no topic and decodes the records itself.
     */
    static final Set<String> FIXED = Set.of(ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);

    /**
     * No group.id: nothing is ever committed, so reading needs only Describe/Read ACLs on the topics.
     * {@code client} holds the security settings of a secured cluster (TLS, SASL), applied over the defaults;
     * the settings in {@link #FIXED} are the reader's own whatever the file says.
     */
    static KafkaConsumer<String, byte[]> reader(String bootstrap, Properties client) {
        Properties props = factory(bootstrap).consumerProperties("tollgate-cli-reader", null);
        client.forEach((k, v) -> {
            if (!FIXED.contains(k.toString())) {
                props.put(k, v);
            }
        });
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        // Reading must never create a topic, even on a broker with auto.create.topics.enable.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A clear message for a broker that refused the credentials or the principal's access to a topic. */
    static CliException refused(String topic, org.apache.kafka.common.KafkaException e) {
        if (e instanceof org.apache.kafka.common.errors.AuthenticationException) {
            return new CliException("Kafka refused the credentials (check --kafka-config): " + e.getMessage());
        }
        return new CliException("the Kafka principal may not read " + topic + " (it needs Describe and Read on "
                + "tollgate.auth-events and tollgate.revocations): " + e.getMessage());
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new CliException("Kafka is not reachable (or topic " + topic + " is unknown): " + e.getMessage());
        } catch (org.apache.kafka.common.errors.AuthenticationException | org.apache.kafka.common.errors.AuthorizationException e) {
            throw refused(topic, e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new CliException("topic " + topic + " does not exist (has the stack started once?)");
        }
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo info : infos) {
            out.add(new TopicPartition(topic, info.partition()));
        }
        return out;
    }
}
