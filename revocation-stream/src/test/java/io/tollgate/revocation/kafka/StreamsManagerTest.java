package io.tollgate.revocation.kafka;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsManagerTest {
    private static final String FETCH = "consumer-fetch-manager-metrics";
    private static final String APP = "tollgate-revocation-stream-5c1e";

    private record Value(MetricName metricName, Object metricValue) implements Metric {
    }

    private final Map<MetricName, Metric> metrics = new LinkedHashMap<>();

    private void add(String group, String name, String clientId, String topic, Integer partition, Object value) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("client-id", clientId);
        if (topic != null) {
            tags.put("topic", topic);
        }
        if (partition != null) {
            tags.put("partition", Integer.toString(partition));
        }
        MetricName metricName = new MetricName(name, group, "", tags);
        metrics.put(metricName, new Value(metricName, value));
    }

    @Test
    void theLagIsTheMainConsumersPerPartitionLagSummedOverThreads() {
        add(FETCH, "records-lag", APP + "-StreamThread-1-consumer", "tollgate.revocations", 0, 3.0);
        add(FETCH, "records-lag", APP + "-StreamThread-1-consumer", "tollgate.revocations", 1, 4.0);
        add(FETCH, "records-lag", APP + "-StreamThread-2-consumer", "tollgate.calls", 0, 5.0);
        // not fetched yet
        add(FETCH, "records-lag", APP + "-StreamThread-2-consumer", "tollgate.calls", 1, Double.NaN);
        // changelog restoration and the aggregate maximum are not input lag
        add(FETCH, "records-lag", APP + "-StreamThread-1-restore-consumer", APP + "-usage-m-changelog", 0, 100.0);
        add(FETCH, "records-lag", APP + "-global-consumer", "tollgate.registry", 0, 200.0);
        add(FETCH, "records-lag-max", APP + "-StreamThread-1-consumer", null, null, 4.0);
        add(FETCH, "records-lag-max", APP + "-StreamThread-1-consumer", "tollgate.revocations", null, 4.0);
        add("stream-thread-metrics", "records-lag", APP + "-StreamThread-1-consumer", "tollgate.calls", 2, 300.0);

        assertThat(StreamsManager.partitionLags(metrics)).hasSize(4);
        assertThat(StreamsManager.consumerLag(metrics)).isEqualTo(12);
    }

    @Test
    void noConsumerYetIsNoLag() {
        assertThat(StreamsManager.consumerLag(Map.of())).isZero();
        assertThat(new StreamsManager(null, null).consumerLag()).isZero();
    }
}
