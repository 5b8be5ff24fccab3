package io.tollgate.revocation.kafka;

import io.dropwizard.lifecycle.Managed;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
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

    public KafkaStreams streams() {
        return streams;
    }
}
