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

    public KafkaStreams streams() {
        return streams;
    }
}
