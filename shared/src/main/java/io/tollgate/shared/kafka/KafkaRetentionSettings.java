package io.tollgate.shared.kafka;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** How long the delete-policy topics keep their records ({@code retention.ms} when a service creates them). */
public class KafkaRetentionSettings {
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    private Duration authEvents = Duration.days(30);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    private Duration calls = Duration.days(7);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.HOURS)
    private Duration deadLetters = Duration.days(30);

    @JsonProperty
    public Duration getAuthEvents() {
        return authEvents;
    }

    @JsonProperty
    public void setAuthEvents(Duration authEvents) {
        this.authEvents = authEvents;
    }

    @JsonProperty
    public Duration getCalls() {
        return calls;
    }

    @JsonProperty
    public void setCalls(Duration calls) {
        this.calls = calls;
    }

    @JsonProperty
    public Duration getDeadLetters() {
        return deadLetters;
    }

    @JsonProperty
    public void setDeadLetters(Duration deadLetters) {
        this.deadLetters = deadLetters;
    }
}
