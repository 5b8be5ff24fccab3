package io.tollgate.ops.stack;

import io.tollgate.shared.testing.KafkaCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every part of the local stack listens and keeps its files. Defaults are DESIGN.md's embedded
 * defaults; {@link StackMain} applies environment variables and flags on top.
 */
public final class StackConfig {
    public Path root = Path.of("").toAbsolutePath();
    public Path dataDir;
    public String host = "127.0.0.1";
    public int kafkaPort = 9092;
    public int kafkaControllerPort = 9093;
    public String redisHost = "127.0.0.1";
    public int redisPort = 6379;
    public int ldapPort = 10389;
    public int upstreamPort = 9000;
    public String node = "local";
    public Duration startTimeout = Duration.ofSeconds(180);
    public String serviceHeap = "256m";
    /**
     * A Kafka cluster started by the caller (a test fixture whose brokers it stops and restarts) to use instead
     * of the stack's own broker; the stack creates its topics there and never stops it.
     */
    public KafkaCluster externalKafka;
    /**
     * Start token-api, then every other service at once (instead of one after the other, each awaited healthy):
     * a quicker boot on a small machine, where the JVMs' start-ups overlap their waits for Kafka and each other.
     */
    public boolean startServicesTogether = false;
    /** Extra entitled users user0001.. with passwords pw-0001.. in the demo directory (benchmarks). */
    public int benchUsers = 0;
    /**
     * Extra JVM arguments for every node of a service, by module name, placed before {@code -jar}: typically
     * Dropwizard overrides of its YAML, e.g. {@code -Ddw.kafka.consumer.session\.timeout\.ms=6000} (an escaped
     * dot stays in the key) or {@code -Ddw.kafka.replicationFactor=3}. Empty by default.
     */
    public final Map<String, List<String>> serviceJvmArgs = new LinkedHashMap<>();
    /** Main and admin port of each service, by module name. */
    public final Map<String, Integer> ports = new LinkedHashMap<>();
    public final Map<String, Integer> adminPorts = new LinkedHashMap<>();

    public StackConfig() {
        for (ServiceSpec spec : ServiceSpec.ALL) {
            ports.put(spec.module(), spec.port());
            adminPorts.put(spec.module(), spec.adminPort());
        }
    }

    public Path dataDir() {
        return dataDir != null ? dataDir : root.resolve(".stack");
    }

    public Path logs() {
        return dataDir().resolve("logs");
    }

    public String kafkaBootstrap() {
        return externalKafka != null ? externalKafka.bootstrapServers() : host + ":" + kafkaPort;
    }

    public String ldapUrl() {
        return "ldap://" + host + ":" + ldapPort;
    }

    public String issuer() {
        return "http://" + host + ":" + port("token-api");
    }

    public String upstreamUrl() {
        return "http://" + host + ":" + upstreamPort;
    }

    public int port(String module) {
        return ports.get(module);
    }

    public int adminPort(String module) {
        return adminPorts.get(module);
    }

    public String healthUrl(String module) {
        return "http://" + host + ":" + adminPort(module) + "/healthcheck";
    }

    /** The environment every service gets: the shared names of HELPERS.md plus every service's ports. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TOLLGATE_KAFKA_BOOTSTRAP", kafkaBootstrap());
        env.put("TOLLGATE_REDIS_HOST", redisHost);
        env.put("TOLLGATE_REDIS_PORT", Integer.toString(redisPort));
        env.put("TOLLGATE_LDAP_URL", ldapUrl());
        env.put("TOLLGATE_ISSUER", issuer());
        env.put("TOLLGATE_JWKS_URL", issuer() + "/oauth2/jwks");
        env.put("TOLLGATE_UPSTREAM_URL", upstreamUrl());
        env.put("TOLLGATE_NODE", node);
        env.put("TOLLGATE_DATA_DIR", dataDir().toString());
        for (ServiceSpec spec : ServiceSpec.ALL) {
            env.put(spec.portEnv(), Integer.toString(port(spec.module())));
            env.put(spec.adminPortEnv(), Integer.toString(adminPort(spec.module())));
        }
        return env;
    }
}
