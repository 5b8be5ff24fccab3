package io.tollgate.ops.stack;

import io.tollgate.shared.testing.KafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A single-node KRaft broker (Kafka's own server in a child JVM) whose data stays under {@code .stack/kafka}. */
final class KafkaPart implements Part {
    private final StackConfig config;
    private KafkaCluster cluster;

    KafkaPart(StackConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void start() throws IOException {
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

    @Override
    public String endpoint() {
        return config.kafkaBootstrap();
    }

    @Override
    public String log() {
        return config.logs().resolve("kafka.log").toString();
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.stop(); // SIGTERM and wait: a controlled shutdown, so the next start needs no log recovery
            cluster.close();
            cluster = null;
        }
    }
}
