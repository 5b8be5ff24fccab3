package io.tollgate.tokenapi.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.NotNull;

import io.dropwizard.util.Duration;

/** Token lifetimes and request limits of the token endpoints. */
public class TokenSettings {
    @NotNull
    private Duration accessTokenLifetime = Duration.minutes(5);

    /** A refresh token's life; every rotation starts a new one (sliding), bounded by the family's re-checks. */
    @NotNull
    private Duration refreshTokenLifetime = Duration.days(30);

    /** Largest accepted form body of the OAuth endpoints. */
    @NotNull
    private DataSize maxBodySize = DataSize.kibibytes(16);

    /** Retry-After sent when the identity provider or Redis is unavailable. */
    @NotNull
    private Duration retryAfter = Duration.seconds(5);

    @JsonProperty
    public Duration getAccessTokenLifetime() {
        return accessTokenLifetime;
    }

    @JsonProperty
    public void setAccessTokenLifetime(Duration accessTokenLifetime) {
        this.accessTokenLifetime = accessTokenLifetime;
    }

    @JsonProperty
    public Duration getRefreshTokenLifetime() {
        return refreshTokenLifetime;
    }

    @JsonProperty
    public void setRefreshTokenLifetime(Duration refreshTokenLifetime) {
        this.refreshTokenLifetime = refreshTokenLifetime;
    }

    @JsonProperty
    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    @JsonProperty
    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    @JsonProperty
    public Duration getRetryAfter() {
        return retryAfter;
    }

    @JsonProperty
    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** How long a revocation fact matters: the longest life of a token it can affect. */
    public java.time.Duration revocationLifetime() {
        return (accessTokenLifetime.compareTo(refreshTokenLifetime) > 0 ? accessTokenLifetime : refreshTokenLifetime)
                .toJavaDuration();
    }
}
