package io.tollgate.policy.kafka;

import io.tollgate.shared.kafka.KafkaFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyLoopConsumerTest {

    @Test
    void theFetchWaitsForABatchOfEventsOrAtMostTheMaximumWait() {
        Properties props = PolicyLoop.consumerProperties(new KafkaFactory(), "policy-test", "policy-group");
        assertThat(props.getProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).isEqualTo("32768");
        assertThat(props.getProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("100");
        // the shared guarantees stay
        assertThat(props.getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(props.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(props.getProperty(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("policy-group");
    }

    @Test
    void kafkaConsumerSettingsOverrideTheFetchDefaults() {
        KafkaFactory kafka = new KafkaFactory();
        kafka.consumer.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        kafka.consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "500");
        Properties props = PolicyLoop.consumerProperties(kafka, "policy-test", "policy-group");
        assertThat(props.getProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).isEqualTo("1");
        assertThat(props.getProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).isEqualTo("500");
    }
}
