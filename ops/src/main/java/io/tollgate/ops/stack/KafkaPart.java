package io.tollgate.ops.stack;

import io.tollgate.testkit.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft broker (Kafka's own server in a child JVM) whose data stays under {@code .stack/kafka};
 * or, when {@link StackConfig#externalKafka} is set, that cluster, which the caller starts and stops.
 */
final class KafkaPart extends Part {
    private KafkaCluster cluster;

    KafkaPart(StackConfig config) {
        super("kafka", config);
    }

    @Override
    public void start() throws IOException {
        if (config.externalKafka != null) {
            cluster = config.externalKafka;
            return;
        }
        Path dir = config.dataDir().resolve("kafka");
        Files.createDirectories(dir);
        cluster = KafkaCluster.singleNode(dir, config.kafkaPort, config.kafkaControllerPort);
        // One log per part under .stack/logs: point it at the broker's own log file.
        Path link = config.logs().resolve("kafka.log");
        Files.createDirectories(config.logs());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, dir.resolve("node-1").resolve("server.log"));
        cluster.start(config.startTimeout);
    }

    @Override
    public boolean healthy() {
        if (cluster == null) {
            return false;
        }
        try (Admin admin = cluster.admin()) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                    .get(4, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    Admin admin() {
        return cluster.admin();
    }

    short replicationFactor() {
        return cluster.replicationFactor();
    }

    int minInsyncReplicas() {
        return cluster.minInsyncReplicas();
    }

    @Override
    public String endpoint() {
        return config.kafkaBootstrap();
    }

    @Override
    public String log() {
        if (config.externalKafka != null) {
            return config.externalKafka.directory().toString();
        }
        return config.logs().resolve("kafka.log").toString();
    }

    @Override
    public void stop() {
        if (config.externalKafka != null) {
            cluster = null; // the caller's cluster: the caller stops it
            return;
        }
        if (cluster != null) {
            cluster.stop(); // SIGTERM and wait: a controlled shutdown, so the next start needs no log recovery
            cluster.close();
            cluster = null;
        }
    }
}
