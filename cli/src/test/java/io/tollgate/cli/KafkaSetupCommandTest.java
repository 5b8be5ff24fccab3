package io.tollgate.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tollgate kafka-setup} prints the layout the services create from the same environment variables. */
class KafkaSetupCommandTest {
    @Test
    void theServicesEnvironmentSetsTheTopicLayout() {
        CliRunner.Result printed = CliRunner.run(Map.of("TOLLGATE_KAFKA_BOOTSTRAP", "k1:9093",
                "TOLLGATE_KAFKA_PARTITIONS", "12", "TOLLGATE_KAFKA_REPLICATION_FACTOR", "5",
                "TOLLGATE_KAFKA_MIN_INSYNC_REPLICAS", "3", "TOLLGATE_KAFKA_CALLS_RETENTION", "36h"), "kafka-setup");
        assertThat(printed.code()).as(printed.err()).isZero();
        assertThat(printed.out())
                .contains("--topic tollgate.calls --partitions 12 --replication-factor 5")
                .contains("--topic tollgate.registry --partitions 1 --replication-factor 5")
                .contains("--topic tollgate.policy-worker.dlq --partitions 1 --replication-factor 5")
                .contains("retention.ms=" + Duration.ofHours(36).toMillis())
                .contains("retention.ms=" + Duration.ofDays(30).toMillis())
                .contains("min.insync.replicas=3");
    }

    @Test
    void optionsOverrideTheEnvironment() {
        CliRunner.Result printed = CliRunner.run(Map.of("TOLLGATE_KAFKA_PARTITIONS", "12"), "kafka-setup",
                "--partitions", "24", "--auth-events-retention", "90d");
        assertThat(printed.code()).as(printed.err()).isZero();
        assertThat(printed.out()).contains("--topic tollgate.auth-events --partitions 24 --replication-factor 3")
                .contains("retention.ms=" + Duration.ofDays(90).toMillis());
    }

    @Test
    void aValueThatIsNoDurationIsAClearError() {
        CliRunner.Result refused = CliRunner.run(Map.of("TOLLGATE_KAFKA_DLQ_RETENTION", "forever"), "kafka-setup");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("--dlq-retention (or TOLLGATE_KAFKA_DLQ_RETENTION): 'forever' is not a "
                + "duration");
        CliRunner.Result zero = CliRunner.run(Map.of(), "kafka-setup", "--partitions", "0");
        assertThat(zero.err()).contains("--partitions must be at least 1");
    }
}
