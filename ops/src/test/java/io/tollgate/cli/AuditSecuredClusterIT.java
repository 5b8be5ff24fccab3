package io.tollgate.cli;

import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.testkit.KafkaCluster;
import io.tollgate.shared.topics.TopicProvisioner;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit command on a secured cluster, as a security team runs it: SASL/PLAIN credentials from a client
 * properties file (--kafka-config), and a principal that Kafka's own authorizer lets only Describe and Read the
 * two audit topics. That is all the audit needs: it reads everything, and the same principal cannot write.
 */
class AuditSecuredClusterIT {
    private static final URI SOURCE = Event.source("token-api", "it");
    private static KafkaCluster kafka;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaCluster.create(1).withSaslPlain(Map.of("auditor", "auditor-secret", "stranger", "stranger-secret"))
                .start();
        try (Admin admin = kafka.admin()) {
            new TopicProvisioner(admin, (short) 1, 1).ensure(Topics.ALL, 30_000);
            List<AclBinding> acls = new ArrayList<>();
            for (String topic : List.of(Topics.AUTH_EVENTS.name(), Topics.REVOCATIONS.name())) {
                for (AclOperation op : List.of(AclOperation.DESCRIBE, AclOperation.READ)) {
                    acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                            new AccessControlEntry("User:auditor", "*", op, AclPermissionType.ALLOW)));
                }
            }
            // the stranger may see that the topics exist, not read them
            acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "tollgate.", PatternType.PREFIXED),
                    new AccessControlEntry("User:stranger", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
        try (Producer<String, Event<?>> producer = new KafkaProducer<>(plaintext(),
                Topics.AUTH_EVENTS.keySerde().serializer(), Topics.AUTH_EVENTS.valueSerde().serializer())) {
            for (String user : List.of("sec-alice", "sec-bob")) {
                producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), user, Event.of(SOURCE,
                        new LoginFailed(user, "demo-mobile", "password", LoginFailed.Reason.INVALID_CREDENTIALS,
                                "10.9.9.9")))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Properties plaintext() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    private static Properties sasl(String user, String password) {
        Properties props = new Properties();
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", "PLAIN");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return props;
    }

    private static Path clientFile(String name, Properties props) throws Exception {
        Path file = dir.resolve(name + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            props.store(out, "audit client");
        }
        return file;
    }

    @Test
    void aReadOnlyPrincipalAuditsWithCredentialsFromAClientPropertiesFile() throws Exception {
        Properties auditor = sasl("auditor", "auditor-secret");
        auditor.put("group.id", "copied-from-a-console-consumer-config"); // ignored: the audit joins no group
        auditor.put("bootstrap.servers", kafka.saslBootstrapServers());
        Path file = clientFile("auditor", auditor);

        CliRunner.Result result = CliRunner.run(Map.of(), "audit", "--kafka-config", file.toString(),
                "--type", "login.failed", "--ip", "10.9.9.9");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("sec-alice", "sec-bob", "INVALID_CREDENTIALS");

        CliRunner.Result fromEnv = CliRunner.run(Map.of("TOLLGATE_KAFKA_CONFIG", file.toString()), "audit",
                "--user", "sec-bob", "--json");
        assertThat(fromEnv.code()).as(fromEnv.err()).isZero();
        assertThat(fromEnv.out().lines()).singleElement().asString().contains("\"subject\":\"sec-bob\"");

        // the principal the audit worked with has no write access at all
        Properties writer = sasl("auditor", "auditor-secret");
        writer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.saslBootstrapServers());
        writer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        writer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false"); // else refused at the cluster, not the topic
        try (Producer<String, String> producer = new KafkaProducer<>(writer, new StringSerializer(),
                new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS.name(), "x", "forged"))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void wrongCredentialsAndMissingReadAclAreClearErrors() throws Exception {
        Path wrong = clientFile("wrong", sasl("auditor", "not-the-password"));
        CliRunner.Result refused = CliRunner.run(Map.of(), "audit", "--kafka", kafka.saslBootstrapServers(),
                "--kafka-config", wrong.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("Kafka refused the credentials").doesNotContain("not-the-password")
                .doesNotContain("Exception:");

        Path stranger = clientFile("stranger", sasl("stranger", "stranger-secret"));
        CliRunner.Result denied = CliRunner.run(Map.of(), "audit", "--kafka", kafka.saslBootstrapServers(),
                "--kafka-config", stranger.toString());
        assertThat(denied.code()).isEqualTo(1);
        assertThat(denied.err()).contains("may not read", "Describe and Read");

        CliRunner.Result missing = CliRunner.run(Map.of(), "audit", "--kafka-config", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read the Kafka client properties");
    }
}
