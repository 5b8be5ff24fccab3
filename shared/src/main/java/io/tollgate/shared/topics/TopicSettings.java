package io.tollgate.shared.topics;

import java.time.Duration;
import java.util.Objects;

/**
 * What a deployment chooses about the catalogue's topics: the partitions of the keyed event topics (the registry and
 * the dead-letter topic keep one) and the retention of the delete-policy topics.
 */
public record TopicSettings(int partitions, Duration authEventsRetention, Duration callsRetention,
                            Duration deadLettersRetention) {
    public static final int DEFAULT_PARTITIONS = 6;

    public TopicSettings {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        Objects.requireNonNull(authEventsRetention, "authEventsRetention");
        Objects.requireNonNull(callsRetention, "callsRetention");
        Objects.requireNonNull(deadLettersRetention, "deadLettersRetention");
    }

    /** Six partitions; auth events and dead letters kept 30 days, calls 7. */
    public static TopicSettings defaults() {
        return new TopicSettings(DEFAULT_PARTITIONS, Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(30));
    }
}
