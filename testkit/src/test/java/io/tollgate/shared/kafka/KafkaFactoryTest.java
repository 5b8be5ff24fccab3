package io.tollgate.shared.kafka;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.jersey.validation.Validators;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.topics.Topic;
import io.tollgate.shared.topics.TopicSettings;
import io.tollgate.shared.topics.Topics;
import io.tollgate.testkit.TestCertificates;
import jakarta.validation.ConstraintViolation;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.login.AppConfigurationEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the typed Kafka settings become client properties, read from the production templates as a service reads them. */
class KafkaFactoryTest {
    @TempDir
    static Path dir;
    static Path caBundle;

    @BeforeAll
    static void files() {
        caBundle = TestCertificates.authority("kafka-ca").writePem(dir.resolve("ca.pem"));
    }

    private static Map<String, String> productionEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("TOLLGATE_KAFKA_BOOTSTRAP", "k1.example.com:9093,k2.example.com:9093");
        env.put("TOLLGATE_KAFKA_USERNAME", "tollgate-token-api");
        env.put("TOLLGATE_KAFKA_PASSWORD", "s3cret #scram: \"password\" [x] ''q''");
        env.put("TOLLGATE_KAFKA_CA_BUNDLE", caBundle.toString());
        return env;
    }

    @Test
    void everyProductionTemplateGivesEveryClientItsPrincipalOverVerifiedTls() throws Exception {
        for (String service : ProductionKafkaSettings.SERVICES) {
            KafkaFactory kafka = ProductionKafkaSettings.load(ProductionKafkaSettings.block(service),
                    productionEnvironment());
            assertThat(kafka.securityProtocol).as(service).isEqualTo(SecurityProtocol.SASL_SSL);
            assertThat(kafka.replicationFactor).as(service).isEqualTo((short) 3);
            assertThat(kafka.minInsyncReplicas).as(service).isEqualTo(2);
            assertThat(kafka.topicSettings()).as(service).isEqualTo(TopicSettings.defaults());
            for (Properties props : List.of(kafka.producerProperties("p"), kafka.consumerProperties("c", "g"),
                    kafka.streamsProperties("s"))) {
                assertThat(props).as(service)
                        .containsEntry("bootstrap.servers", "k1.example.com:9093,k2.example.com:9093")
                        .containsEntry("security.protocol", "SASL_SSL")
                        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                        .containsEntry("ssl.endpoint.identification.algorithm", "https")
                        .containsEntry("ssl.truststore.type", "PEM")
                        .containsEntry("ssl.truststore.location", caBundle.toString());
                assertThat(jaasOptions(props.getProperty("sasl.jaas.config"), "scram.ScramLoginModule"))
                        .isEqualTo(Map.of("username", "tollgate-token-api", "password",
                                "s3cret #scram: \"password\" [x] 'q'"));
            }
        }
    }

    @Test
    void deploymentValuesReachTheTopicLayoutAndTheMechanism() throws Exception {
        Map<String, String> env = productionEnvironment();
        env.put("TOLLGATE_KAFKA_PARTITIONS", "12");
        env.put("TOLLGATE_KAFKA_AUTH_EVENTS_RETENTION", "90d");
        env.put("TOLLGATE_KAFKA_CALLS_RETENTION", "36h");
        env.put("TOLLGATE_KAFKA_DLQ_RETENTION", "14 days");
        env.put("TOLLGATE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256");
        KafkaFactory kafka = ProductionKafkaSettings.load(ProductionKafkaSettings.block("policy-worker"), env);
        assertThat(kafka.topicSettings()).isEqualTo(new TopicSettings(12, Duration.ofDays(90), Duration.ofHours(36),
                Duration.ofDays(14)));
        assertThat(kafka.producerProperties("p")).containsEntry("sasl.mechanism", "SCRAM-SHA-256");

        Map<String, Topic<?, ?>> topics = Topics.all(kafka.topicSettings()).stream()
                .collect(Collectors.toMap(Topic::name, t -> t));
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());
        for (Topic<?, ?> keyed : List.of(Topics.AUTH_EVENTS, Topics.POLICY_DECISIONS, Topics.REVOCATIONS, Topics.CALLS)) {
            assertThat(topics.get(keyed.name()).partitions()).as(keyed.name()).isEqualTo(12);
        }
        assertThat(topics.get(Topics.REGISTRY.name()).partitions()).isEqualTo(1);
        assertThat(topics.get(Topics.POLICY_DEAD_LETTERS.name()).partitions()).isEqualTo(1);
        assertThat(topics.get(Topics.AUTH_EVENTS.name()).configs(2)).containsEntry("retention.ms",
                Long.toString(Duration.ofDays(90).toMillis()));
        assertThat(topics.get(Topics.CALLS.name()).configs(2)).containsEntry("retention.ms",
                Long.toString(Duration.ofHours(36).toMillis()));
        assertThat(topics.get(Topics.POLICY_DEAD_LETTERS.name()).configs(2)).containsEntry("retention.ms",
                Long.toString(Duration.ofDays(14).toMillis()));
        assertThat(topics.get(Topics.REVOCATIONS.name()).configs(2)).doesNotContainKey("retention.ms");
    }

    @Test
    void aSaslProtocolWithoutCredentialsStopsTheStartUp() {
        for (String missing : List.of("TOLLGATE_KAFKA_USERNAME", "TOLLGATE_KAFKA_PASSWORD")) {
            Map<String, String> env = productionEnvironment();
            env.remove(missing);
            assertThatThrownBy(() -> ProductionKafkaSettings.load(ProductionKafkaSettings.block("gateway"), env))
                    .as(missing).isInstanceOf(ConfigurationValidationException.class)
                    .hasMessageContaining("kafka.sasl.username and kafka.sasl.password are required with a SASL "
                            + "securityProtocol");
        }
        KafkaFactory unchecked = new KafkaFactory();
        unchecked.securityProtocol = SecurityProtocol.SASL_PLAINTEXT;
        assertThatThrownBy(() -> unchecked.producerProperties("p")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kafka.sasl.username and kafka.sasl.password are required");
    }

    @Test
    void credentialsRoundTripThroughTheJaasLineWhateverTheyHold() {
        for (String password : List.of("plain", "quo\"te", "back\\slash\\", "new\nline\r\ttab", "semi;colon",
                "x\" password=\"injected\";", "\\\"", "bell\u0007nul\u0001del\u007f", "ünïcødé €")) {
            KafkaSaslSettings sasl = new KafkaSaslSettings();
            sasl.username = "user \"" + password;
            sasl.password = Secret.of(password);
            assertThat(jaasOptions(sasl.jaasConfig(), "scram.ScramLoginModule")).as(password)
                    .isEqualTo(Map.of("username", "user \"" + password, "password", password));
        }
        KafkaSaslSettings plain = new KafkaSaslSettings();
        plain.mechanism = "PLAIN";
        plain.username = "u";
        plain.password = Secret.of("p");
        assertThat(jaasOptions(plain.jaasConfig(), "plain.PlainLoginModule"))
                .isEqualTo(Map.of("username", "u", "password", "p"));
    }

    @Test
    void thePasswordIsNeverPrinted() throws Exception {
        KafkaFactory kafka = ProductionKafkaSettings.load(ProductionKafkaSettings.block("token-api"),
                productionEnvironment());
        assertThat(kafka.sasl.toString()).contains("tollgate-token-api", Secret.REDACTED)
                .doesNotContain("s3cret");
        assertThat(kafka.sasl.password.toString()).isEqualTo(Secret.REDACTED);
        assertThat(kafka.toString()).doesNotContain("s3cret");
        // Kafka logs every client's configuration at start-up; these settings print as [hidden]
        for (ConfigDef def : List.of(ProducerConfig.configDef(), AdminClientConfig.configDef())) {
            for (String secret : List.of("sasl.jaas.config", "ssl.keystore.key", "ssl.key.password")) {
                assertThat(def.configKeys().get(secret).type).as(secret).isEqualTo(ConfigDef.Type.PASSWORD);
            }
        }
    }

    @Test
    void theFreeFormMapsCannotSetOrWeakenTransportSecurity() {
        KafkaFactory kafka = new KafkaFactory();
        assertThat(violations(kafka)).isEmpty();
        kafka.consumer = Map.of("session.timeout.ms", "10000");
        kafka.streams = Map.of("consumer.heartbeat.interval.ms", "2000");
        assertThat(violations(kafka)).isEmpty();
        for (Map<String, String> weakening : List.of(Map.of("ssl.endpoint.identification.algorithm", ""),
                Map.of("security.protocol", "PLAINTEXT"), Map.of("ssl.truststore.location", "/tmp/any.jks"),
                Map.of("sasl.jaas.config", "x"))) {
            KafkaFactory f = new KafkaFactory();
            f.common = weakening;
            assertThat(violations(f)).as(weakening.toString()).singleElement().asString()
                    .contains("use kafka.securityProtocol, kafka.sasl and kafka.tls");
        }
        KafkaFactory streams = new KafkaFactory();
        streams.streams = Map.of("producer.security.protocol", "PLAINTEXT");
        assertThat(violations(streams)).hasSize(1);
        KafkaFactory producer = new KafkaFactory();
        producer.producer = Map.of("ssl.keystore.location", "/tmp/k");
        assertThat(violations(producer)).hasSize(1);
    }

    @Test
    void tlsSettingsOnAProtocolWithoutTlsAreRefused() {
        KafkaFactory kafka = new KafkaFactory();
        kafka.tls.caBundle = caBundle.toString();
        assertThat(violations(kafka)).containsExactly(
                "kafka.tls is set but kafka.securityProtocol has no TLS (SSL or SASL_SSL)");
        kafka.securityProtocol = SecurityProtocol.SSL;
        assertThat(violations(kafka)).isEmpty();
        assertThat(kafka.producerProperties("p")).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.endpoint.identification.algorithm", "https")
                .doesNotContainKeys("sasl.mechanism", "sasl.jaas.config");
    }

    @Test
    void aCaBundleThatCannotBeReadStopsTheStartUpNamingTheSetting() throws Exception {
        Map<String, String> env = productionEnvironment();
        env.put("TOLLGATE_KAFKA_CA_BUNDLE", dir.resolve("missing.pem").toString());
        KafkaFactory missing = ProductionKafkaSettings.load(ProductionKafkaSettings.block("gateway"), env);
        assertThatThrownBy(() -> missing.producerProperties("p")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kafka.tls.caBundle").hasMessageContaining("missing.pem");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "not a certificate");
        env.put("TOLLGATE_KAFKA_CA_BUNDLE", notPem.toString());
        KafkaFactory garbage = ProductionKafkaSettings.load(ProductionKafkaSettings.block("gateway"), env);
        assertThatThrownBy(() -> garbage.buildAdmin("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kafka.tls.caBundle");
    }

    @Test
    void anEmptyCaBundleMeansTheJvmTrustStore() throws Exception {
        Map<String, String> env = productionEnvironment();
        env.remove("TOLLGATE_KAFKA_CA_BUNDLE");
        KafkaFactory kafka = ProductionKafkaSettings.load(ProductionKafkaSettings.block("revocation-stream"), env);
        assertThat(kafka.consumerProperties("c", null)).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.endpoint.identification.algorithm", "https")
                .doesNotContainKeys("ssl.truststore.type", "ssl.truststore.location");
    }

    @Test
    void theLocalDefaultIsOnePlaintextBrokerWithNoSecuritySettings() {
        Properties props = new KafkaFactory().producerProperties("p");
        assertThat(props).containsEntry("security.protocol", "PLAINTEXT").containsEntry("bootstrap.servers",
                "127.0.0.1:9092");
        assertThat(props.stringPropertyNames()).noneMatch(k -> k.startsWith("sasl.") || k.startsWith("ssl."));
        assertThat(new KafkaFactory().topicSettings()).isEqualTo(TopicSettings.defaults());
        assertThat(Topics.all(TopicSettings.defaults())).isEqualTo(Topics.ALL);
    }

    @Test
    void aClientCertificateForMutualTlsIsLoadedByTheKafkaClient() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("client-ca");
        TestCertificates.Leaf leaf = ca.issue("tollgate-token-api");
        Path chain = Files.writeString(dir.resolve("client.pem"), TestCertificates.pem(leaf.certificate())
                + TestCertificates.pem(ca.certificate()));
        Path key = Files.writeString(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(leaf.keys().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        KafkaFactory kafka = new KafkaFactory();
        kafka.bootstrapServers = "127.0.0.1:9";
        kafka.securityProtocol = SecurityProtocol.SSL;
        kafka.tls.caBundle = caBundle.toString();
        kafka.tls.certificateChain = chain.toString();
        assertThat(violations(kafka)).containsExactly("certificateChain and privateKey go together (mutual TLS needs both)");
        kafka.tls.privateKey = key.toString();
        assertThat(violations(kafka)).isEmpty();
        assertThat(kafka.producerProperties("p")).containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.certificate.chain", Files.readString(chain))
                .containsEntry("ssl.keystore.key", Files.readString(key));
        // the client builds its SSL engine factory (key store included) when it is created
        try (Admin admin = kafka.buildAdmin("mtls")) {
            assertThat(admin).isNotNull();
        }
        Path notAKey = Files.writeString(dir.resolve("bad.key"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        kafka.tls.privateKey = notAKey.toString();
        assertThatThrownBy(() -> kafka.producerProperties("p")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kafka.tls.privateKey");
    }

    private static Set<String> violations(Object settings) {
        return Validators.newValidator().validate(settings).stream().map(ConstraintViolation::getMessage)
                .collect(Collectors.toSet());
    }

    /** The options of the JAAS line as Kafka's own parser reads them; fails unless it holds exactly one module. */
    private static Map<String, ?> jaasOptions(String jaas, String module) {
        List<AppConfigurationEntry> entries = JaasContext.loadClientContext(
                Map.of("sasl.jaas.config", new Password(jaas))).configurationEntries();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).getLoginModuleName()).isEqualTo("org.apache.kafka.common.security." + module);
        return entries.get(0).getOptions();
    }
}
