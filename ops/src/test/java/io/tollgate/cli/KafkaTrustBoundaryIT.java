package io.tollgate.cli;

import io.tollgate.shared.topics.Topics;
import io.tollgate.testkit.KafkaCluster;
import io.tollgate.testkit.TestCertificates;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka as a trust boundary, on a real broker with a SASL_SSL listener (TLS with the test's own CA, SCRAM-SHA-512)
 * and Kafka's own authorizer: {@code tollgate kafka-setup --apply} creates the topics and the ACLs of
 * {@code ServiceAcls}, and then the broker itself refuses what each service's principal may not do: only
 * token-api writes {@code tollgate.auth-events}, only policy-worker writes decisions (in its own transactions), the
 * gateway writes only calls, the auditor only reads, and revocation-stream runs its Streams application (internal
 * topics, exactly-once transactions) with nothing more.
 */
class KafkaTrustBoundaryIT {
    private static final Map<String, String> USERS = new LinkedHashMap<>();
    private static KafkaCluster kafka;

    static {
        for (String role : List.of("token-api", "policy-worker", "revocation-stream", "gateway", "auditor")) {
            USERS.put("tollgate-" + role, role + "-scram-secret");
        }
    }

    @BeforeAll
    static void start() {
        kafka = KafkaCluster.create(1).withSaslScramSsl(USERS, TestCertificates.authority("kafka-test-ca")).start();
        // The fixture's plaintext listener is the cluster's administrator (super user), as an operator's would be.
        Map<String, String> env = Map.of("TOLLGATE_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        CliRunner.Result setup = CliRunner.run(env, "kafka-setup", "--apply", "--replication-factor", "1",
                "--min-insync-replicas", "1");
        assertThat(setup.code()).as(setup.err()).isZero();
        assertThat(setup.out()).startsWith(Topics.ALL.size() + " topics ready");
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theSetupPrintsTheCommandsItApplies() {
        CliRunner.Result printed = CliRunner.run(Map.of("TOLLGATE_KAFKA_BOOTSTRAP", "kafka-1:9093"), "kafka-setup");
        assertThat(printed.code()).as(printed.err()).isZero();
        assertThat(printed.out())
                .contains("kafka-topics.sh --bootstrap-server kafka-1:9093 --command-config admin.properties --create "
                        + "--if-not-exists --topic tollgate.registry --partitions 1 --replication-factor 3")
                .contains("kafka-acls.sh --bootstrap-server kafka-1:9093 --command-config admin.properties --add "
                        + "--allow-principal User:tollgate-token-api --operation Describe --operation Write "
                        + "--topic tollgate.auth-events")
                .contains("--allow-principal User:tollgate-revocation-stream --operation Describe --operation Write "
                        + "--transactional-id tollgate-revocation-stream --resource-pattern-type prefixed");
        assertThat(printed.out().lines().filter(l -> l.contains("tollgate.auth-events") && l.contains("Write")))
                .as("one principal writes the auth events").hasSize(1);
    }

    @Test
    void onlyTokenApiWritesTheAuthEvents() throws Exception {
        send("tollgate-token-api", Topics.AUTH_EVENTS.name(), "alice", "{\"login\":1}");
        for (String other : List.of("tollgate-policy-worker", "tollgate-revocation-stream", "tollgate-gateway",
                "tollgate-auditor")) {
            assertThatThrownBy(() -> send(other, Topics.AUTH_EVENTS.name(), "alice", "{\"forged\":1}"))
                    .as(other).hasRootCauseInstanceOf(AuthorizationException.class);
        }
    }

    @Test
    void onlyPolicyWorkerWritesDecisionsAndOnlyInItsOwnTransactions() throws Exception {
        try (KafkaProducer<String, String> producer = producer("tollgate-policy-worker", "tollgate-policy-worker-n1")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.POLICY_DECISIONS.name(), "dave", "{\"deny\":1}"));
            producer.send(new ProducerRecord<>(Topics.REVOCATIONS.name(), "user:dave", "{\"revoke\":1}"));
            producer.commitTransaction();
        }
        assertThatThrownBy(() -> {
            try (KafkaProducer<String, String> producer = producer("tollgate-policy-worker", "someone-else")) {
                producer.initTransactions();
            }
        }).isInstanceOf(TransactionalIdAuthorizationException.class);
        for (String other : List.of("tollgate-token-api", "tollgate-gateway", "tollgate-revocation-stream")) {
            assertThatThrownBy(() -> send(other, Topics.POLICY_DECISIONS.name(), "dave", "{\"allow\":1}"))
                    .as(other).hasRootCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theGatewayWritesOnlyCalls() throws Exception {
        send("tollgate-gateway", Topics.CALLS.name(), "demo-mobile|alice", "{\"call\":1}");
        for (String topic : List.of(Topics.REVOCATIONS.name(), Topics.REGISTRY.name())) {
            assertThatThrownBy(() -> send("tollgate-gateway", topic, "k", "{}")).as(topic)
                    .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theAuditorReadsTheAuditTopicsAndWritesNothing() throws Exception {
        send("tollgate-token-api", Topics.AUTH_EVENTS.name(), "bob", "{\"audited\":1}");
        Map<String, String> settings = kafka.saslSslClient("tollgate-auditor", USERS.get("tollgate-auditor"));
        Properties props = new Properties();
        props.putAll(settings);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUTH_EVENTS.name(), Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!keys.contains("bob") && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(record.key());
                }
            }
            assertThatThrownBy(() -> {
                consumer.assign(List.of(new TopicPartition(Topics.REGISTRY.name(), 0)));
                consumer.poll(Duration.ofSeconds(5));
            }).as("the registry (client secret hashes) is not the auditor's").isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(keys).contains("bob");
        // A principal with no Write anywhere is refused even an idempotent producer id (cluster IdempotentWrite).
        assertThatThrownBy(() -> send("tollgate-auditor", Topics.AUTH_EVENTS.name(), "bob", "{}"))
                .hasRootCauseInstanceOf(AuthorizationException.class);
    }

    @Test
    void aWrongPasswordIsRefusedByTheBroker() {
        Properties props = new Properties();
        props.putAll(kafka.saslSslClient("tollgate-token-api", "not-the-secret"));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), "x", "y")).get())
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void revocationStreamRunsItsExactlyOnceStreamsApplicationWithItsOwnRights() throws Exception {
        send("tollgate-token-api", Topics.AUTH_EVENTS.name(), "erin", "{\"login\":1}");
        Properties props = new Properties();
        props.putAll(kafka.saslSslClient("tollgate-revocation-stream", USERS.get("tollgate-revocation-stream")));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tollgate-revocation-stream");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, kafka.directory().resolve("streams").toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        CountDownLatch counted = new CountDownLatch(1);
        StreamsBuilder builder = new StreamsBuilder();
        // A stateful step: its changelog is an internal topic the application creates and writes in transactions.
        builder.stream(Topics.AUTH_EVENTS.name(), Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey().count(Materialized.as("logins-per-user"))
                .toStream().foreach((user, count) -> {
                    if ("erin".equals(user)) {
                        counted.countDown();
                    }
                });
        List<Throwable> failures = new ArrayList<>();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.setUncaughtExceptionHandler(e -> {
                failures.add(e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                        .SHUTDOWN_CLIENT;
            });
            streams.start();
            boolean done = counted.await(90, TimeUnit.SECONDS);
            assertThat(failures).as("no authorization failure in the Streams application").isEmpty();
            assertThat(done).as("the application counted erin's login").isTrue();
        }
    }

    private static KafkaProducer<String, String> producer(String user, String transactionalId) {
        Map<String, Object> props = new HashMap<>(kafka.saslSslClient(user, USERS.get(user)));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        if (transactionalId != null) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static void send(String user, String topic, String key, String value)
            throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, String> producer = producer(user, null)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (KafkaException e) {
            throw new ExecutionException(e);
        }
    }
}
