package io.tollgate.revocation.kafka;

import com.codahale.metrics.health.HealthCheck;
import org.apache.kafka.streams.KafkaStreams;

/** Healthy while the topology runs (or rebalances); unhealthy when it has stopped or failed. */
public final class StreamsHealthCheck extends HealthCheck {
    private final StreamsManager manager;

    public StreamsHealthCheck(StreamsManager manager) {
        this.manager = manager;
    }

    @Override
    protected Result check() {
        KafkaStreams streams = manager.streams();
        if (streams == null) {
            return Result.unhealthy("not started");
        }
        KafkaStreams.State state = streams.state();
        return state.isRunningOrRebalancing() ? Result.healthy(state.name()) : Result.unhealthy(state.name());
    }
}
