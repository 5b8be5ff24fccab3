package io.tollgate.shared.kafka;

import io.tollgate.shared.topics.ServiceAcls;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.Topics;
import io.tollgate.testkit.KafkaCluster;
import io.tollgate.testkit.TestCertificates;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a deployment does, on a real broker with a SASL_SSL listener (TLS from the test's CA, SCRAM-SHA-512) and
 * Kafka's authorizer: the operator creates the topics with the deployment's layout and the ACLs of
 * {@link ServiceAcls}; each service's Kafka clients are then built from the {@code kafka} block of its
 * {@code config/production.yml} with the environment a deployment sets (its own principal, the CA bundle) and work
 * with that principal's rights only. A CA bundle that does not hold the brokers' CA is refused, and so is a wrong
 * password.
 */
class KafkaFactorySaslSslIT {
    private static final TestCertificates.Authority CA = TestCertificates.authority("kafka-ca");
    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();
    private static final Duration AUTH_EVENTS_RETENTION = Duration.ofDays(2);
    private static final Duration CALLS_RETENTION = Duration.ofHours(20);
    private static final Duration DLQ_RETENTION = Duration.ofDays(3);

    @TempDir
    static Path dir;
    static KafkaCluster kafka;
    static Path caBundle;

    static {
        for (String role : List.of("token-api", "policy-worker", "revocation-stream", "gateway", "auditor")) {
            PASSWORDS.put("tollgate-" + role, role + "-\"scram\\secret");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaCluster.create(1).withSaslScramSsl(PASSWORDS, CA).start();
        caBundle = CA.writePem(dir.resolve("kafka-ca.pem"));
        // The operator: the fixture's plaintext listener is a super user, as an administrator's credentials are.
        KafkaFactory operator = new KafkaFactory();
        operator.bootstrapServers = kafka.bootstrapServers();
        operator.partitions = 3;
        operator.retention.authEvents = io.dropwizard.util.Duration.days(2);
        operator.retention.calls = io.dropwizard.util.Duration.hours(20);
        operator.retention.deadLetters = io.dropwizard.util.Duration.days(3);
        try (Admin admin = operator.buildAdmin("operator")) {
            assertThat(operator.ensureTopics(admin)).as("fresh topics have the configured layout").isEmpty();
            List<AclBinding> bindings = new ArrayList<>();
            ServiceAcls.grants(ServiceAcls.Principals.defaults(), ServiceAcls.Names.defaults())
                    .forEach(g -> bindings.addAll(g.bindings()));
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The environment of one service's deployment: its own principal over SASL_SSL, the layout the operator chose. */
    private static Map<String, String> environment(String service) {
        Map<String, String> env = new HashMap<>();
        env.put("TOLLGATE_KAFKA_BOOTSTRAP", kafka.saslSslBootstrapServers());
        env.put("TOLLGATE_KAFKA_USERNAME", "tollgate-" + service);
        env.put("TOLLGATE_KAFKA_PASSWORD", PASSWORDS.get("tollgate-" + service));
        env.put("TOLLGATE_KAFKA_CA_BUNDLE", caBundle.toString());
        env.put("TOLLGATE_KAFKA_REPLICATION_FACTOR", "1");
        env.put("TOLLGATE_KAFKA_MIN_INSYNC_REPLICAS", "1");
        env.put("TOLLGATE_KAFKA_PARTITIONS", "3");
        env.put("TOLLGATE_KAFKA_AUTH_EVENTS_RETENTION", "2d");
        env.put("TOLLGATE_KAFKA_CALLS_RETENTION", "20h");
        env.put("TOLLGATE_KAFKA_DLQ_RETENTION", "3d");
        return env;
    }

    private static KafkaFactory service(String service, Map<String, String> env) throws Exception {
        KafkaFactory factory = ProductionKafkaSettings.load(ProductionKafkaSettings.block(service), env);
        factory.startupTimeout = Duration.ofSeconds(20);
        return factory;
    }

    private static KafkaFactory service(String service) throws Exception {
        return service(service, environment(service));
    }

    private static Producer<String, String> producer(KafkaFactory factory, String clientId) {
        return factory.buildProducer(clientId, new StringSerializer(), new StringSerializer());
    }

    @Test
    void theConfiguredPartitionsAndRetentionReachTheCreatedTopics() throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL.stream().map(Topic::name).toList())
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            for (Topic<?, ?> keyed : List.of(Topics.AUTH_EVENTS, Topics.POLICY_DECISIONS, Topics.REVOCATIONS,
                    Topics.CALLS)) {
                assertThat(topics.get(keyed.name()).partitions()).as(keyed.name()).hasSize(3);
            }
            assertThat(topics.get(Topics.REGISTRY.name()).partitions()).hasSize(1);
            assertThat(topics.get(Topics.POLICY_DEAD_LETTERS.name()).partitions()).hasSize(1);

            Map<String, Duration> retention = Map.of(Topics.AUTH_EVENTS.name(), AUTH_EVENTS_RETENTION,
                    Topics.CALLS.name(), CALLS_RETENTION, Topics.POLICY_DEAD_LETTERS.name(), DLQ_RETENTION);
            Map<ConfigResource, Config> configs = admin.describeConfigs(retention.keySet().stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get(30, TimeUnit.SECONDS);
            retention.forEach((topic, kept) -> assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC,
                    topic)).get("retention.ms").value()).as(topic).isEqualTo(Long.toString(kept.toMillis())));
        }
    }

    @Test
    void tokenApiVerifiesTheTopicsAndWritesItsEventsWithItsOwnPrincipalOnly() throws Exception {
        KafkaFactory tokenApi = service("token-api");
        try (Admin admin = tokenApi.buildAdmin("token-api-admin")) {
            assertThat(tokenApi.ensureTopics(admin)).isEmpty();
        }
        try (Producer<String, String> producer = producer(tokenApi, "token-api")) {
            producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), "alice", "{\"login\":1}"))
                    .get(30, TimeUnit.SECONDS);
        }
        try (Producer<String, String> producer = producer(tokenApi, "token-api-forging")) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.POLICY_DECISIONS.name(), "alice",
                    "{\"allow\":1}")).get(30, TimeUnit.SECONDS))
                    .as("decisions are policy-worker's").hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void policyWorkerReadsInItsGroupAndWritesDecisionsInItsOwnTransactions() throws Exception {
        String user = "bob-" + UUID.randomUUID();
        try (Producer<String, String> producer = producer(service("token-api"), "token-api")) {
            producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), user, "{\"login\":1}"))
                    .get(30, TimeUnit.SECONDS);
        }
        KafkaFactory policyWorker = service("policy-worker");
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                policyWorker.consumerProperties("policy-worker", ServiceAcls.Names.defaults().policyGroup()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.AUTH_EVENTS.name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!keys.contains(user) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(record.key());
                }
            }
            consumer.commitSync(Duration.ofSeconds(30));
        }
        assertThat(keys).contains(user);

        Properties props = policyWorker.producerProperties("policy-worker-tx");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                ServiceAcls.Names.defaults().policyTransactionalIdPrefix() + "-n1");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.POLICY_DECISIONS.name(), user, "{\"deny\":1}"));
            producer.send(new ProducerRecord<>(Topics.REVOCATIONS.name(), "user:" + user, "{\"revoke\":1}"));
            producer.commitTransaction();
        }
    }

    @Test
    void revocationStreamRunsItsExactlyOnceStreamsApplicationFromTheSettings() throws Exception {
        String user = "erin-" + UUID.randomUUID();
        try (Producer<String, String> producer = producer(service("token-api"), "token-api")) {
            producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), user, "{\"login\":1}"))
                    .get(30, TimeUnit.SECONDS);
        }
        Properties props = service("revocation-stream").streamsProperties(
                ServiceAcls.Names.defaults().streamsApplicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
        assertThat(props).containsEntry("processing.guarantee", "exactly_once_v2");
        CountDownLatch counted = new CountDownLatch(1);
        StreamsBuilder builder = new StreamsBuilder();
        // a changelog topic (internal, created by the application) written in its transactions
        builder.stream(Topics.AUTH_EVENTS.name(), Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey().count(Materialized.as("logins-per-user"))
                .toStream().foreach((key, count) -> {
                    if (user.equals(key)) {
                        counted.countDown();
                    }
                });
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.setUncaughtExceptionHandler(e -> {
                failures.add(e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            boolean done = counted.await(90, TimeUnit.SECONDS);
            assertThat(failures).as("no authentication or authorization failure").isEmpty();
            assertThat(done).as("the application counted the login").isTrue();
        }
    }

    @Test
    void aServiceConfiguredWithAnotherLayoutUsesTheTopicsAsTheyAreAndSaysSo() throws Exception {
        Map<String, String> env = environment("gateway");
        env.put("TOLLGATE_KAFKA_PARTITIONS", "6");
        env.put("TOLLGATE_KAFKA_CALLS_RETENTION", "7d");
        KafkaFactory gateway = service("gateway", env);
        try (Admin admin = gateway.buildAdmin("gateway-admin")) {
            assertThat(gateway.ensureTopics(admin))
                    .anyMatch(d -> d.startsWith("topic=tollgate.calls partitions=3 configured=6 "))
                    .anyMatch(d -> d.startsWith("topic=tollgate.auth-events partitions=3 configured=6 "))
                    .anyMatch(d -> d.startsWith("topic=tollgate.calls retention.ms=" + CALLS_RETENTION.toMillis()
                            + " configured=" + Duration.ofDays(7).toMillis()))
                    .noneMatch(d -> d.startsWith("topic=tollgate.registry"));
        }
        try (Admin admin = kafka.admin()) {
            assertThat(admin.describeTopics(List.of(Topics.CALLS.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.CALLS.name()).partitions()).as("unchanged").hasSize(3);
        }
    }

    @Test
    void aCaBundleWithoutTheBrokersCaIsRefused() throws Exception {
        Map<String, String> env = environment("token-api");
        env.put("TOLLGATE_KAFKA_CA_BUNDLE", TestCertificates.authority("another-ca")
                .writePem(dir.resolve("another-ca.pem")).toString());
        KafkaFactory tokenApi = service("token-api", env);
        try (Admin admin = tokenApi.buildAdmin("token-api-admin")) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
            assertThatThrownBy(() -> tokenApi.ensureTopics(admin)).hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        Map<String, String> env = environment("token-api");
        env.put("TOLLGATE_KAFKA_PASSWORD", "not-the-secret");
        KafkaFactory tokenApi = service("token-api", env);
        try (Admin admin = tokenApi.buildAdmin("token-api-admin")) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }
}
