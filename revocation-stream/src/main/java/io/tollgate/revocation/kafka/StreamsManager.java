package io.tollgate.revocation.kafka;

import io.dropwizard.lifecycle.Managed;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Runs the topology for the service's lifetime; a failed stream thread is replaced, never the process. */
public final class StreamsManager implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsManager.class);

    private final Topology topology;
    private final Properties properties;
    private volatile KafkaStreams streams;

    public StreamsManager(Topology topology, Properties properties) {
        this.topology = topology;
        this.properties = properties;
    }

    @Override
    public void start() {
        streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("event=streams.thread_failed action=replace error=\"{}\"", e.toString());
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("event=streams.state from={} to={}", before, now));
        streams.start();
    }

    @Override
    public void stop() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
    }

    /**
     * The sum over stream threads of one {@code stream-thread-metrics} metric (e.g. {@code process-rate},
     * records per second), 0 before start. {@link KafkaStreams#metrics()} is safe from any thread.
     */
    public double threadMetric(String name) {
        KafkaStreams current = streams;
        if (current == null) {
            return 0;
        }
        return current.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-thread-metrics") && e.getKey().name().equals(name))
                .mapToDouble(e -> e.getValue().metricValue() instanceof Number n ? n.doubleValue() : 0).sum();
    }

    /**
     * The main consumers' lag in records, summed over every partition this instance consumes (source and
     * repartition topics), as the policy worker reports its own: 0 before start. See {@link #partitionLags}.
     */
    public long consumerLag() {
        KafkaStreams current = streams;
        return current == null ? 0 : consumerLag(current.metrics());
    }

    /** The sum of {@link #partitionLags}; a partition not fetched yet (NaN) counts 0. */
    public static long consumerLag(Map<MetricName, ? extends Metric> metrics) {
        double sum = 0;
        for (Metric lag : partitionLags(metrics)) {
            if (lag.metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
                sum += n.doubleValue();
            }
        }
        return Math.round(sum);
    }

    /**
     * The per-partition {@code records-lag} of the stream threads' main consumers (group
     * {@code consumer-fetch-manager-metrics}, tags {@code topic} and {@code partition}): the records between a
     * partition's position and its last stable offset (the consumers read committed), updated at each fetch.
     * The restore and global consumers (client ids ending {@code -restore-consumer}, {@code -global-consumer})
     * read changelogs, not input, and are left out. Records already fetched but not yet processed (Streams'
     * input buffer) are not counted, nor partitions not fetched yet (a task still restoring its stores); a task
     * stuck retrying Redis stops polling, and the figure then stays where it was until the thread is replaced.
     */
    public static List<Metric> partitionLags(Map<MetricName, ? extends Metric> metrics) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().group().equals("consumer-fetch-manager-metrics")
                        && e.getKey().name().equals("records-lag")
                        && e.getKey().tags().containsKey("partition")
                        && mainConsumer(e.getKey().tags().getOrDefault("client-id", "")))
                .map(e -> (Metric) e.getValue())
                .toList();
    }

    private static boolean mainConsumer(String clientId) {
        return clientId.endsWith("-consumer") && !clientId.endsWith("-restore-consumer")
                && !clientId.endsWith("-global-consumer");
    }

    public KafkaStreams streams() {
        return streams;
    }
}
