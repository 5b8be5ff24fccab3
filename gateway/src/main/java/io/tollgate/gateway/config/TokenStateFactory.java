package io.tollgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The local cache of Redis token state and how stale it may get before the gateway answers 503. */
public class TokenStateFactory {

    /** Longest time the gateway trusts its cache without a live subscription and a ready projection. */
    @NotNull
    private Duration stalenessBound = Duration.seconds(2);

    @Min(1)
    private long cacheSize = 200_000;

    @JsonProperty
    public Duration getStalenessBound() {
        return stalenessBound;
    }

    @JsonProperty
    public void setStalenessBound(Duration stalenessBound) {
        this.stalenessBound = stalenessBound;
    }

    @JsonProperty
    public long getCacheSize() {
        return cacheSize;
    }

    @JsonProperty
    public void setCacheSize(long cacheSize) {
        this.cacheSize = cacheSize;
    }
}
