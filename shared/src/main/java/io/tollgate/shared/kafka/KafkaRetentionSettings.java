package io.tollgate.shared.kafka;

import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** How long the delete-policy topics keep their records ({@code retention.ms} when a service creates them). */
public class KafkaRetentionSettings {
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    public Duration authEvents = Duration.days(30);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    public Duration calls = Duration.days(7);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    public Duration deadLetters = Duration.days(30);
}
