package io.tollgate.shared.kafka;

import io.dropwizard.lifecycle.Managed;
import io.dropwizard.core.setup.Environment;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.tollgate.shared.topics.TopicProvisioner;
import io.tollgate.shared.topics.TopicSettings;
import io.tollgate.shared.topics.Topics;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Kafka connection settings for a service: one place that makes producers idempotent with
 * {@code acks=all}, consumers read-committed, and Streams exactly-once v2, and that gives every client (producer,
 * consumer, Streams, admin) the same transport security: {@code securityProtocol}, the service's own SASL principal
 * ({@code sasl}) and TLS trust ({@code tls}). Free-form maps pass any other client setting through; the settings
 * the typed keys own may not appear in them (one way to configure security, and no way to weaken it beside it).
 * The defaults are the local stack's: one plaintext broker on loopback.
 */
public class KafkaFactory {
    /** Client settings only the typed keys set (after a Streams client prefix such as {@code producer.}). */
    private static final Set<String> OWNED = Set.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
            SaslConfigs.SASL_MECHANISM, SaslConfigs.SASL_JAAS_CONFIG,
            SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
    private static final List<String> OWNED_PREFIXES = List.of("ssl.truststore.", "ssl.keystore.", "ssl.key.");
    private static final List<String> CLIENT_PREFIXES = List.of("main.consumer.", "restore.consumer.",
            "global.consumer.", "consumer.", "producer.", "admin.");

    @NotEmpty
    public String bootstrapServers = "127.0.0.1:9092";

    /** PLAINTEXT (the local stack), SSL, SASL_PLAINTEXT or SASL_SSL (production: a principal per service over TLS). */
    @NotNull
    public SecurityProtocol securityProtocol = SecurityProtocol.PLAINTEXT;

    @Valid
    @NotNull
    public KafkaSaslSettings sasl = new KafkaSaslSettings();

    @Valid
    @NotNull
    public KafkaTlsSettings tls = new KafkaTlsSettings();

    /** Partitions of the keyed event topics this service creates (the registry and the dead letters keep one). */
    @Min(1)
    @Max(1000)
    public int partitions = TopicSettings.DEFAULT_PARTITIONS;

    @Valid
    @NotNull
    public KafkaRetentionSettings retention = new KafkaRetentionSettings();

    /** Replication factor for the topics this service creates (3 in production). */
    @Min(1)
    @Max(32)
    public short replicationFactor = 1;

    @Min(1)
    @Max(32)
    public int minInsyncReplicas = 1;

    /** How long start-up waits for the cluster (topic creation, first metadata). */
    @NotNull
    public Duration startupTimeout = Duration.ofSeconds(60);

    /** How long a send may be retried before the producer gives up on it (delivery.timeout.ms). */
    @NotNull
    public Duration deliveryTimeout = Duration.ofMinutes(10);

    /** The producer's buffer for records awaiting the broker; when full, sends block up to maxBlock. */
    @Min(1 << 20)
    public long producerBufferBytes = 64L << 20;

    @NotNull
    public Map<String, String> producer = new HashMap<>();

    @NotNull
    public Map<String, String> consumer = new HashMap<>();

    @NotNull
    public Map<String, String> streams = new HashMap<>();

    @NotNull
    public Map<String, String> common = new HashMap<>();

    /** A SASL protocol without a principal would only fail later, at the first connection, less clearly. */
    @JsonIgnore
    @AssertTrue(message = "kafka.sasl.username and kafka.sasl.password are required with a SASL securityProtocol")
    public boolean isSaslCredentialsGiven() {
        return !isSasl() || sasl == null || sasl.hasCredentials();
    }

    /** A CA bundle or client certificate on a protocol without TLS would silently not be used. */
    @JsonIgnore
    @AssertTrue(message = "kafka.tls is set but kafka.securityProtocol has no TLS (SSL or SASL_SSL)")
    public boolean isTlsOnlyWithTls() {
        return tls == null || !tls.isSet() || isTls();
    }

    @JsonIgnore
    @AssertTrue(message = "kafka.common/producer/consumer/streams may not set security.protocol, sasl.mechanism, "
            + "sasl.jaas.config, ssl.endpoint.identification.algorithm, ssl.truststore.*, ssl.keystore.* or "
            + "ssl.key.*: use kafka.securityProtocol, kafka.sasl and kafka.tls")
    public boolean isSecurityOnlyInTypedSettings() {
        return Stream.of(common, producer, consumer, streams).filter(Objects::nonNull)
                .flatMap(m -> m.keySet().stream()).noneMatch(KafkaFactory::owned);
    }

    private static boolean owned(String key) {
        String name = CLIENT_PREFIXES.stream().filter(key::startsWith).findFirst()
                .map(prefix -> key.substring(prefix.length())).orElse(key);
        return OWNED.contains(name) || OWNED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private boolean isSasl() {
        return securityProtocol == SecurityProtocol.SASL_SSL || securityProtocol == SecurityProtocol.SASL_PLAINTEXT;
    }

    private boolean isTls() {
        return securityProtocol == SecurityProtocol.SSL || securityProtocol == SecurityProtocol.SASL_SSL;
    }

    /**
     * The transport-security properties every client gets: {@code security.protocol}, with SASL the mechanism and
     * the JAAS line of the service's principal, with TLS host-name verification and the CA bundle (PEM), and the
     * client certificate for mutual TLS. Reads and checks the PEM files, so a wrong path stops the start-up with the
     * setting's name. Holds the password: never print it.
     */
    public Map<String, String> securityProperties() {
        if (!isSaslCredentialsGiven()) {
            throw new IllegalStateException("kafka.securityProtocol is " + securityProtocol
                    + ": kafka.sasl.username and kafka.sasl.password are required");
        }
        if (!isTlsOnlyWithTls()) {
            throw new IllegalStateException("kafka.tls is set but kafka.securityProtocol " + securityProtocol
                    + " has no TLS");
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol.name);
        if (isSasl()) {
            props.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, sasl.jaasConfig());
        }
        if (isTls()) {
            props.putAll(tls.clientProperties());
        }
        return props;
    }

    /** The layout of the catalogue's topics this service creates: partitions and retention. */
    public TopicSettings topicSettings() {
        return new TopicSettings(partitions, retention.authEvents.toJavaDuration(),
                retention.calls.toJavaDuration(), retention.deadLetters.toJavaDuration());
    }

    /**
     * A client's properties, in order of precedence from the lowest: the cluster and {@code clientId}, the transport
     * security, {@link #common}, the client's {@code defaults} here, then the service's {@code overrides} for that
     * kind of client.
     */
    private Properties properties(String clientId, Map<String, String> defaults, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        props.putAll(securityProperties());
        props.putAll(common);
        props.putAll(defaults);
        props.putAll(overrides);
        return props;
    }

    /**
     * Idempotent, {@code acks=all}, retried until {@link #deliveryTimeout}: no event lost to a short broker outage.
     * One request in flight per broker: with five, a broker that stops mid-stream (a restart) leaves a sequence gap
     * (seq n+1 arriving before the retried n), the client bumps its epoch and re-sequences a retried batch, and the
     * broker refuses that batch as out of order on every retry: the partition's events are stuck until the
     * delivery timeout, then lost (ops FaultsIT stops the broker under load). Batching (linger) keeps the throughput.
     */
    public Properties producerProperties(String clientId) {
        return properties(clientId, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeout.toMillis()),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(producerBufferBytes),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), producer);
    }

    /** Read-committed, manual commits, from the earliest offset for a new group ({@code groupId} null: none). */
    public Properties consumerProperties(String clientId, String groupId) {
        Map<String, String> defaults = new HashMap<>(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        if (groupId != null) {
            defaults.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return properties(clientId, defaults, consumer);
    }

    /** Kafka Streams settings: exactly-once v2, the cluster's replication factor for internal topics. */
    public Properties streamsProperties(String applicationId) {
        return properties(applicationId, Map.of(
                "application.id", applicationId,
                "processing.guarantee", "exactly_once_v2",
                "replication.factor", Short.toString(replicationFactor),
                "producer." + ProducerConfig.ACKS_CONFIG, "all"), streams);
    }

    public Admin buildAdmin(String clientId) {
        return Admin.create(properties(clientId, Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000"), Map.of()));
    }

    public <K, V> Producer<K, V> buildProducer(String clientId, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(producerProperties(clientId), keys, values);
    }

    /**
     * Creates or verifies the catalogue's topics with this service's layout ({@link #topicSettings()}, see
     * {@link TopicProvisioner}).
     *
     * @return how existing topics differ from that layout (also logged as warnings)
     */
    public List<String> ensureTopics(Admin admin) throws Exception {
        return new TopicProvisioner(admin, replicationFactor, minInsyncReplicas)
                .ensure(Topics.all(topicSettings()), startupTimeout.toMillis());
    }

    /**
     * {@link #ensureTopics(Admin)} now, at start-up, through an admin client bound to the service's lifecycle (with
     * its {@code kafka} health check: {@link #buildManagedAdmin}).
     */
    public List<String> ensureTopics(Environment environment, String clientId) throws Exception {
        return ensureTopics(buildManagedAdmin(environment, clientId));
    }

    /**
     * Builds an admin client bound to the service's lifecycle, with a {@code kafka} health check that
     * asks the cluster for its nodes.
     */
    public Admin buildManagedAdmin(Environment environment, String clientId) {
        Admin admin = buildAdmin(clientId);
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                admin.close(Duration.ofSeconds(5));
            }
        });
        environment.healthChecks().register("kafka", new KafkaHealthCheck(admin));
        return admin;
    }
}
