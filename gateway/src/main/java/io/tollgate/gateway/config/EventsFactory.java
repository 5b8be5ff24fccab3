package io.tollgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The api.call event buffer: bounded, dropped (and counted) when full, never blocking a request. */
public class EventsFactory {

    private boolean enabled = true;

    @Min(1)
    private int queueCapacity = 50_000;

    /** The producer's max.block.ms: how long a send may wait for metadata or buffer space. */
    @NotNull
    private Duration maxBlock = Duration.milliseconds(5);

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public int getQueueCapacity() {
        return queueCapacity;
    }

    @JsonProperty
    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    @JsonProperty
    public Duration getMaxBlock() {
        return maxBlock;
    }

    @JsonProperty
    public void setMaxBlock(Duration maxBlock) {
        this.maxBlock = maxBlock;
    }
}
