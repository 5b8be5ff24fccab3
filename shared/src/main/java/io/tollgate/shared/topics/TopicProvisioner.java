package io.tollgate.shared.topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Creates the topics a service needs at start-up, or verifies that existing ones have the cleanup
 * policy the catalogue declares (a compacted topic created as delete would silently lose state).
 *
 * <p>An existing topic whose partition count or retention differs from the configured one is used as it is, with a
 * warning per difference: nothing in Tollgate joins two topics, so no co-partitioning breaks, and changing either is
 * the operator's decision ({@code kafka-topics.sh --alter --partitions} moves keys to other partitions, which
 * a compacted topic's readers then see out of order; Kafka cannot shrink a topic at all). The services hold no
 * right to alter a topic on a secured cluster anyway.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final short replicationFactor;
    private final int minInsyncReplicas;

    public TopicProvisioner(Admin admin, short replicationFactor, int minInsyncReplicas) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
        this.minInsyncReplicas = minInsyncReplicas;
    }

    /**
     * Creates what is missing and checks what exists; throws {@link IllegalStateException} on a cleanup-policy
     * mismatch.
     *
     * @return the differences between existing topics and their configured layout (partitions, retention), each
     *     also logged as a warning; empty when every topic is as configured
     */
    public List<String> ensure(Collection<Topic<?, ?>> topics, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            if (!existing.contains(topic.name())) {
                missing.add(new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.of(replicationFactor))
                        .configs(topic.configs(minInsyncReplicas)));
            }
        }
        if (!missing.isEmpty()) {
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.info("event=topic.created topic={}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        List<String> differences = verify(topics, timeoutMs);
        for (String difference : differences) {
            LOG.warn("event=topic.layout_differs {}", difference);
        }
        return differences;
    }

    /**
     * Verifies, retried while a broker does not know a topic yet: on a cluster of several brokers a topic the
     * controller has just created reaches each broker's metadata a moment later, and a broker asked before that
     * answers UnknownTopicOrPartition (the ops cluster stack failed to start on it once in three boots).
     */
    private List<String> verify(Collection<Topic<?, ?>> topics, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                return verifyOnce(topics, timeoutMs);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.info("event=topic.metadata_pending error=\"{}\"", e.getCause().getMessage());
                Thread.sleep(100);
            }
        }
    }

    private List<String> verifyOnce(Collection<Topic<?, ?>> topics, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<String, TopicDescription> descriptions = admin.describeTopics(
                topics.stream().map(Topic::name).collect(Collectors.toList())).allTopicNames()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        List<String> differences = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            ConfigEntry cleanup = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            String expected = topic.cleanup() == Topic.Cleanup.COMPACT
                    ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
            if (cleanup == null || !cleanup.value().contains(expected)) {
                throw new IllegalStateException("topic " + topic.name() + " has cleanup.policy="
                        + (cleanup == null ? "?" : cleanup.value()) + ", expected " + expected);
            }
            TopicDescription description = descriptions.get(topic.name());
            if (description == null || description.partitions().isEmpty()) {
                throw new IllegalStateException("topic " + topic.name() + " has no partitions");
            }
            int partitions = description.partitions().size();
            if (partitions != topic.partitions()) {
                differences.add("topic=" + topic.name() + " partitions=" + partitions + " configured="
                        + topic.partitions() + " note=\"the topic is used as it is; its partition count is changed"
                        + " only by an operator (kafka-topics.sh --alter)\"");
            }
            ConfigEntry retention = config.get(TopicConfig.RETENTION_MS_CONFIG);
            if (topic.cleanup() == Topic.Cleanup.DELETE && retention != null
                    && !retention.value().equals(Long.toString(topic.retention().toMillis()))) {
                differences.add("topic=" + topic.name() + " retention.ms=" + retention.value() + " configured="
                        + topic.retention().toMillis() + " note=\"the topic keeps its retention; change it with"
                        + " kafka-configs.sh --alter --add-config retention.ms=...\"");
            }
        }
        return List.copyOf(differences);
    }
}
