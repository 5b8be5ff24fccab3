package io.tollgate.ops.cli;

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

/** Kafka clients for the CLI: read-only consumers without a group (assign + seek); the CLI writes nothing to Kafka. */
final class KafkaAccess {
    private KafkaAccess() {
    }

    private static KafkaFactory factory(String bootstrap) {
        KafkaFactory factory = new KafkaFactory();
        factory.setBootstrapServers(bootstrap);
        factory.setDeliveryTimeout(Duration.ofSeconds(60));
        return factory;
    }

    /** No group.id: nothing is ever committed, so reading needs only Describe/Read ACLs on the topics. */
    static KafkaConsumer<String, byte[]> reader(String bootstrap) {
        Properties props = factory(bootstrap).consumerProperties("tollgate-cli-reader", null);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        // Reading must never create a topic, even on a broker with auto.create.topics.enable.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new CliException("Kafka is not reachable (or topic " + topic + " is unknown): " + e.getMessage());
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
