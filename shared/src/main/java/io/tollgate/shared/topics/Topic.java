package io.tollgate.shared.topics;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic with its serdes and the settings Tollgate creates it with.
 *
 * @param retention for {@link Cleanup#DELETE} topics: how long records are kept; ignored for compacted topics
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, Cleanup cleanup,
                          Duration retention) {

    public enum Cleanup { DELETE, COMPACT }

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        Objects.requireNonNull(cleanup, "cleanup");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        if (cleanup == Cleanup.DELETE) {
            Objects.requireNonNull(retention, "a delete topic needs a retention");
        }
    }

    /** The same topic with another partition count and (for a delete-policy topic) retention. */
    public Topic<K, V> withLayout(int partitions, Duration retention) {
        return new Topic<>(name, keySerde, valueSerde, partitions, cleanup,
                cleanup == Cleanup.DELETE ? retention : this.retention);
    }

    /** The topic-level configs Tollgate sets, given the cluster's {@code min.insync.replicas}. */
    public Map<String, String> configs(int minInsyncReplicas) {
        Map<String, String> configs = new HashMap<>();
        if (cleanup == Cleanup.COMPACT) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        } else {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
        return Map.copyOf(configs);
    }

    @Override
    public String toString() {
        return name;
    }
}
