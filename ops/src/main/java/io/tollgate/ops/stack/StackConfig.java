package io.tollgate.ops.stack;

import io.tollgate.cli.ServiceSpec;
import io.tollgate.testkit.KafkaCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every part of the local stack listens and keeps its files. Defaults are the ports and paths of
 * docs/demo.md; {@link StackMain} applies environment variables and flags on top.
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
    /**
     * The identity provider token-api and policy-worker use: {@link Idp#LDAP} (the demo directory, each service's
     * {@code config/local.yml}) or {@link Idp#HTTP} (the demo HTTP identity provider instead of the directory,
     * their {@code config/http-idp.yml}).
     */
    public Idp idp = Idp.LDAP;
    /** The demo HTTP identity provider's port (with {@link Idp#HTTP}). */
    public int idpPort = 9100;
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

    /** Which identity provider the stack runs and its services use. */
    public enum Idp {
        LDAP, HTTP
    }

    /** Services whose configuration names the identity provider: they run {@code config/http-idp.yml} with HTTP. */
    static final java.util.Set<String> IDP_CLIENTS = java.util.Set.of("token-api", "policy-worker");

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

    public String idpBaseUrl() {
        return "http://" + host + ":" + idpPort;
    }

    /** The credential check ({@code POST {"username","password"}}) of the demo HTTP identity provider. */
    public String idpUrl() {
        return idpBaseUrl() + DemoIdentityProvider.CHECK_PATH;
    }

    /** The profile template ({@code GET}, {@code {sub}} replaced by the user's id) of the demo HTTP identity provider. */
    public String idpProfileUrl() {
        return idpBaseUrl() + DemoIdentityProvider.USERS_PATH + "{sub}";
    }

    /** The YAML a service runs with: {@code config/http-idp.yml} for the provider's clients in HTTP mode, else local.yml. */
    public Path serviceConfig(ServiceSpec spec) {
        Path local = spec.config(root);
        return idp == Idp.HTTP && IDP_CLIENTS.contains(spec.module()) ? local.resolveSibling("http-idp.yml") : local;
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

    /** The environment every service gets: the shared names of docs/demo.md plus every service's ports. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TOLLGATE_KAFKA_BOOTSTRAP", kafkaBootstrap());
        env.put("TOLLGATE_REDIS_HOST", redisHost);
        env.put("TOLLGATE_REDIS_PORT", Integer.toString(redisPort));
        env.put("TOLLGATE_LDAP_URL", ldapUrl());
        env.put("TOLLGATE_IDP_URL", idpUrl());
        env.put("TOLLGATE_IDP_PROFILE_URL", idpProfileUrl());
        env.put("TOLLGATE_ISSUER", issuer());
        env.put("TOLLGATE_JWKS_URL", issuer() + "/oauth2/jwks");
        env.put("TOLLGATE_NODE", node);
        env.put("TOLLGATE_DATA_DIR", dataDir().toString());
        for (ServiceSpec spec : ServiceSpec.ALL) {
            env.put(spec.portEnv(), Integer.toString(port(spec.module())));
            env.put(spec.adminPortEnv(), Integer.toString(adminPort(spec.module())));
        }
        return env;
    }
}
