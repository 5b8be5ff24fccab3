package io.tollgate.tokenapi.config;

import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.tollgate.shared.config.TokenLifetimes;
import jakarta.validation.constraints.NotNull;

/** Token lifetimes (the keys revocation-stream and policy-worker read too) and request limits of the token endpoints. */
public class TokenSettings extends TokenLifetimes {
    /** Largest accepted form body of the OAuth endpoints. */
    @NotNull
    public DataSize maxBodySize = DataSize.kibibytes(16);

    /** Retry-After sent when the identity provider or Redis is unavailable. */
    @NotNull
    public Duration retryAfter = Duration.seconds(5);
}
