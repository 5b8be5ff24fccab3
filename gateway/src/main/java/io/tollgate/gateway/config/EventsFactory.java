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

    /**
     * The producer's linger.ms: how long api.call events wait to fill a batch. The events feed usage counts, never
     * a request's answer; each batch costs the producer a compression buffer (LZ4: 128 KiB) and the broker a
     * produce request, so at 10,000 calls/s a 100 ms linger sends 60 batches/s (one per partition) instead of
     * 300 with 20 ms.
     */
    @NotNull
    private Duration linger = Duration.milliseconds(100);

    @JsonProperty
    public Duration getLinger() {
        return linger;
    }

    @JsonProperty
    public void setLinger(Duration linger) {
        this.linger = linger;
    }

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
