package io.tollgate.revocation.kafka;

import io.tollgate.revocation.RevocationStreamConfiguration;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

import java.util.Properties;

/** The Streams settings on top of the shared exactly-once v2 defaults. */
public final class StreamsSettings {
    private StreamsSettings() {
    }

    public static Properties properties(RevocationStreamConfiguration config) {
        Properties props = new Properties();
        // Timeouts sized so a Redis outage shorter than redisRetryBudget pauses the task without fencing it.
        long budget = config.redisRetryBudget.toMilliseconds();
        props.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), Long.toString(budget + 20_000));
        props.put(StreamsConfig.consumerPrefix("max.poll.interval.ms"), Long.toString(budget + 60_000));
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        props.putAll(config.kafka.streamsProperties(config.applicationId));
        return props;
    }
}
