package io.tollgate.tokenapi.config;

import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.NotNull;

import io.dropwizard.util.Duration;

/** Token lifetimes and request limits of the token endpoints. */
public class TokenSettings {
    @NotNull
    public Duration accessTokenLifetime = Duration.minutes(5);

    /** A refresh token's life; every rotation starts a new one (sliding), bounded by the family's re-checks. */
    @NotNull
    public Duration refreshTokenLifetime = Duration.days(30);

    /** Largest accepted form body of the OAuth endpoints. */
    @NotNull
    public DataSize maxBodySize = DataSize.kibibytes(16);

    /** Retry-After sent when the identity provider or Redis is unavailable. */
    @NotNull
    public Duration retryAfter = Duration.seconds(5);

    /** How long a revocation fact matters: the longest life of a token it can affect. */
    public java.time.Duration revocationLifetime() {
        return (accessTokenLifetime.compareTo(refreshTokenLifetime) > 0 ? accessTokenLifetime : refreshTokenLifetime)
                .toJavaDuration();
    }
}
