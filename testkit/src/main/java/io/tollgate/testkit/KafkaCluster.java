package io.tollgate.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real KRaft Kafka cluster: Kafka's own server ({@code kafka.Kafka} from Maven Central) in one child
 * JVM per node, each node broker and controller at once, on free loopback ports, or each on a host of its own
 * ({@link #onHosts}: inside the host's network namespace, at its address). Nodes can be
 * stopped, killed and restarted with their data; {@link #close()} removes everything.
 *
 * <p>A single node is configured for replication factor 1 (transactions included); three nodes use
 * replication factor 3 and {@code min.insync.replicas} 2, the production shape.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final String DEFAULT_HEAP = System.getProperty("tollgate.kafka.heap", "384m");

    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();
    private final String clusterId;
    private final boolean ownsDir;
    private boolean fullJit;
    private Map<String, String> saslUsers = Map.of();
    private Map<String, String> scramUsers = Map.of();
    private TestCertificates.Authority authority;

    private KafkaCluster(Path dir, int size, boolean ownsDir) {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.clusterId = randomClusterId();
        for (int i = 0; i < size; i++) {
            nodes.add(new Node(i + 1, FreePorts.find(), FreePorts.find()));
        }
    }

    /** A cluster of {@code size} nodes in a new temporary directory. */
    public static KafkaCluster create(int size) {
        try {
            return new KafkaCluster(Files.createTempDirectory("tollgate-kafka-"), size, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A single node on fixed ports in {@code dir} (the local stack), keeping its data across runs. Unlike the
     * test fixtures' brokers (C1 only, for a fast start), it runs with the JVM's full JIT: the stack is long
     * running and its benchmarks measure the broker too.
     */
    public static KafkaCluster singleNode(Path dir, int brokerPort, int controllerPort) {
        KafkaCluster cluster = new KafkaCluster(dir, 0, false);
        cluster.nodes.add(cluster.new Node(1, brokerPort, controllerPort));
        cluster.fullJit = true;
        return cluster;
    }

    /**
     * Places node {@code i} on host {@code hostNames[i]} of {@code hosts}: it runs inside that host's network
     * namespace and listens, advertises and takes part in the controller quorum at the host's address, and the
     * SASL_SSL certificate names every node's address. Call before {@link #start()}.
     */
    public KafkaCluster onHosts(Hosts hosts, String... hostNames) {
        if (hostNames.length != nodes.size()) {
            throw new IllegalArgumentException(nodes.size() + " nodes need " + nodes.size() + " hosts, not "
                    + hostNames.length);
        }
        for (int i = 0; i < hostNames.length; i++) {
            String host = hostNames[i];
            nodes.get(i).address = hosts.address(host);
            nodes.get(i).inside = command -> hosts.inside(host, command);
        }
        return this;
    }

    /**
     * Adds a {@code SASL_PLAINTEXT} listener with the PLAIN mechanism for these users (name to password) on
     * every node, and Kafka's {@code StandardAuthorizer}: a SASL user may do only what ACLs allow it. The
     * fixture's own clients keep the plaintext listener, whose principal ({@code User:ANONYMOUS}) is a super
     * user, so they create topics, write and grant ACLs as before. Call before {@link #start()}.
     */
    public KafkaCluster withSaslPlain(Map<String, String> users) {
        this.saslUsers = new LinkedHashMap<>(users);
        for (Node node : nodes) {
            node.saslPort = FreePorts.find();
        }
        return this;
    }

    /**
     * Adds a {@code SASL_SSL} listener on every node: TLS with a server certificate for {@code 127.0.0.1} and
     * {@code localhost} issued by {@code authority}, and SCRAM-SHA-512 for these users (name to password), whose
     * credentials the storage formatter writes into the cluster's metadata as {@code kafka-storage format
     * --add-scram} does. Kafka's {@code StandardAuthorizer} then lets a SCRAM user do only what ACLs allow it; the
     * fixture's own plaintext listener stays a super user. Call before {@link #start()}.
     */
    public KafkaCluster withSaslScramSsl(Map<String, String> users, TestCertificates.Authority authority) {
        this.scramUsers = new LinkedHashMap<>(users);
        this.authority = authority;
        for (Node node : nodes) {
            node.sslPort = FreePorts.find();
        }
        return this;
    }

    /** The SASL_SSL listeners' addresses (after {@link #withSaslScramSsl}). */
    public String saslSslBootstrapServers() {
        if (scramUsers.isEmpty()) {
            throw new IllegalStateException("no SASL_SSL listener: call withSaslScramSsl before start");
        }
        return nodes.stream().map(n -> n.address + ":" + n.sslPort).collect(Collectors.joining(","));
    }

    /**
     * The client settings of a SCRAM user on the SASL_SSL listener (bootstrap servers included), trusting the
     * cluster's CA from a PEM file, as a service's {@code kafka.common} map or a {@code --kafka-config} file has them.
     */
    public Map<String, String> saslSslClient(String user, String password) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", saslSslBootstrapServers());
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        settings.put("ssl.truststore.type", "PEM");
        settings.put("ssl.truststore.location", caFile().toString());
        return settings;
    }

    private Path caFile() {
        return dir.resolve("ca.pem");
    }

    private Path keyStoreFile() {
        return dir.resolve("broker-keystore.pem");
    }

    /** The SASL_PLAINTEXT listeners' addresses (after {@link #withSaslPlain}). */
    public String saslBootstrapServers() {
        if (saslUsers.isEmpty()) {
            throw new IllegalStateException("no SASL listener: call withSaslPlain before start");
        }
        return nodes.stream().map(n -> n.address + ":" + n.saslPort).collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.size();
    }

    public short replicationFactor() {
        return (short) Math.min(3, nodes.size());
    }

    public int minInsyncReplicas() {
        return nodes.size() >= 3 ? 2 : 1;
    }

    public String bootstrapServers() {
        return nodes.stream().map(n -> n.address + ":" + n.port).collect(Collectors.joining(","));
    }

    /** Formats (first time only) and starts every node, then waits until the cluster answers. */
    public KafkaCluster start() {
        return start(Duration.ofSeconds(90));
    }

    public KafkaCluster start(Duration timeout) {
        if (authority != null && !Files.exists(keyStoreFile())) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            authority.writePem(caFile());
            List<String> names = new ArrayList<>(List.of("127.0.0.1", "localhost"));
            nodes.stream().map(n -> n.address).filter(a -> !names.contains(a)).forEach(names::add);
            authority.issue(names.toArray(String[]::new)).writeKeyStorePem(keyStoreFile());
        }
        for (Node node : nodes) {
            node.format();
        }
        for (Node node : nodes) {
            node.launch();
        }
        awaitReady(timeout);
        return this;
    }

    /** Stops node {@code index} (0-based) gracefully. */
    public void stopNode(int index) {
        nodes.get(index).process.stop(Duration.ofSeconds(30));
    }

    /** Kills node {@code index} with SIGKILL. */
    public void killNode(int index) {
        nodes.get(index).process.kill();
    }

    /** Restarts node {@code index} on the same ports with its data and waits until the cluster answers. */
    public void startNode(int index) {
        startNode(index, Duration.ofSeconds(90));
    }

    /** Like {@link #startNode(int)}, waiting up to {@code timeout} (a loaded machine restarts a broker slowly). */
    public void startNode(int index, Duration timeout) {
        nodes.get(index).launch();
        awaitReady(timeout);
    }

    /** Stops every node gracefully; {@link #start()} brings the cluster back with its data. */
    public void stop() {
        for (Node node : nodes) {
            if (node.process != null) {
                node.process.stop(Duration.ofSeconds(30));
            }
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (Node node : nodes) {
                if (node.process != null && !node.process.isAlive()) {
                    throw new IllegalStateException("Kafka node " + node.id + " exited; see " + node.process.log());
                }
            }
            try (Admin admin = admin()) {
                int live = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
                        .get(4, TimeUnit.SECONDS).size();
                long running = nodes.stream().filter(n -> n.process != null && n.process.isAlive()).count();
                if (live >= running) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            ChildProcess.pause(200);
        }
        throw new IllegalStateException("Kafka did not become ready within " + timeout + "; logs in " + dir, last);
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.process != null) {
                node.process.kill();
                node.process.close();
            }
        }
        if (ownsDir) {
            deleteRecursively(dir);
        }
    }

    public Path directory() {
        return dir;
    }

    private String voters() {
        return nodes.stream().map(n -> n.id + "@" + n.address + ":" + n.controllerPort).collect(Collectors.joining(","));
    }

    private static String randomClusterId() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(16);
        buf.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir left behind is not a test failure
        }
    }

    private final class Node {
        final int id;
        final int port;
        final int controllerPort;
        int saslPort;
        int sslPort;
        /** The address it listens and advertises at, and how a command is run where it lives. */
        String address = "127.0.0.1";
        java.util.function.UnaryOperator<List<String>> inside = command -> command;
        ChildProcess process;

        Node(int id, int port, int controllerPort) {
            this.id = id;
            this.port = port;
            this.controllerPort = controllerPort;
        }

        Path home() {
            return dir.resolve("node-" + id);
        }

        Path properties() {
            return home().resolve("server.properties");
        }

        void writeConfig() throws IOException {
            Files.createDirectories(home());
            int rf = replicationFactor();
            boolean sasl = !saslUsers.isEmpty();
            boolean scram = !scramUsers.isEmpty();
            String saslListener = (sasl ? ",SASL_PLAINTEXT://" + address + ":" + saslPort : "")
                    + (scram ? ",SASL_SSL://" + address + ":" + sslPort : "");
            String props = String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=" + id,
                    "controller.quorum.voters=" + voters(),
                    "listeners=PLAINTEXT://" + address + ":" + port + ",CONTROLLER://" + address + ":" + controllerPort
                            + saslListener,
                    "advertised.listeners=PLAINTEXT://" + address + ":" + port + saslListener,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                            + (sasl ? ",SASL_PLAINTEXT:SASL_PLAINTEXT" : "")
                            + (scram ? ",SASL_SSL:SASL_SSL" : ""),
                    sasl || scram ? saslSettings() : "",
                    "log.dirs=" + home().resolve("data"),
                    "num.partitions=1",
                    "default.replication.factor=" + rf,
                    "min.insync.replicas=" + minInsyncReplicas(),
                    "offsets.topic.replication.factor=" + rf,
                    "offsets.topic.num.partitions=6",
                    "transaction.state.log.replication.factor=" + rf,
                    "transaction.state.log.min.isr=" + minInsyncReplicas(),
                    "transaction.state.log.num.partitions=6",
                    "share.coordinator.state.topic.replication.factor=" + rf,
                    "share.coordinator.state.topic.min.isr=" + minInsyncReplicas(),
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    "log.segment.bytes=16777216",
                    "log.cleaner.dedupe.buffer.size=4194304",
                    "num.network.threads=2",
                    "num.io.threads=2",
                    "background.threads=2",
                    "num.recovery.threads.per.data.dir=1",
                    "") ;
            Files.writeString(properties(), props);
            Files.writeString(home().resolve("logback.xml"), """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="OUT"/></root>
                      <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                    </configuration>
                    """);
        }

        private String saslSettings() {
            List<String> lines = new ArrayList<>();
            List<String> mechanisms = new ArrayList<>();
            if (!saslUsers.isEmpty()) {
                StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
                saslUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
                lines.add("listener.name.sasl_plaintext.plain.sasl.jaas.config=" + jaas + ";");
                mechanisms.add("PLAIN");
            }
            if (!scramUsers.isEmpty()) {
                lines.add("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                lines.add("listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512");
                lines.add("ssl.keystore.type=PEM");
                lines.add("ssl.keystore.location=" + keyStoreFile());
                mechanisms.add("SCRAM-SHA-512");
            }
            lines.add("sasl.enabled.mechanisms=" + String.join(",", mechanisms));
            lines.add("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            lines.add("super.users=User:ANONYMOUS");
            return String.join("\n", lines);
        }

        List<String> jvmArgs() {
            List<String> args = new ArrayList<>(List.of("-Dlogback.configurationFile=" + home().resolve("logback.xml"),
                    "-Dlog4j2.configurationFile=" + home().resolve("log4j2-none.xml"),
                    "-Djava.net.preferIPv4Stack=true"));
            if (fullJit) {
                args.add("-XX:TieredStopAtLevel=4"); // overrides ChildProcess's C1-only default
            }
            return args;
        }

        void format() {
            if (Files.exists(home().resolve("data").resolve("meta.properties"))) {
                return;
            }
            try {
                writeConfig();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Kafka's own formatter (what kafka-storage.sh format runs), in-process: it only writes files.
            try (var out = new java.io.PrintStream(Files.newOutputStream(home().resolve("format.log")))) {
                new org.apache.kafka.metadata.storage.Formatter()
                        .setPrintStream(out)
                        .setNodeId(id)
                        .setClusterId(clusterId)
                        .setControllerListenerName("CONTROLLER")
                        .setMetadataLogDirectory(home().resolve("data").toString())
                        .addDirectory(home().resolve("data").toString())
                        .setIgnoreFormatted(true)
                        .setScramArguments(scramUsers.entrySet().stream()
                                .map(u -> "SCRAM-SHA-512=[name=" + u.getKey() + ",password=" + u.getValue() + "]")
                                .toList())
                        .run();
            } catch (Exception e) {
                throw new IllegalStateException("formatting Kafka node " + id + " failed: " + e.getMessage(), e);
            }
        }

        void launch() {
            if (process == null) {
                process = new ChildProcess("kafka-" + id, inside.apply(
                        ChildProcess.java(DEFAULT_HEAP, jvmArgs(), "kafka.Kafka", List.of(properties().toString()))),
                        home().resolve("server.log"));
            }
            process.start();
        }
    }
}
