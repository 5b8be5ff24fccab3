package io.tollgate.shared.config;

import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/**
 * How long the tokens token-api issues live. token-api issues by them; revocation-stream and policy-worker keep
 * what they write about a token (a family revoked for refresh reuse, a policy revocation) as long as such a token
 * can live. Every one of them reads these keys under {@code tokens:}, and a deployment gives them the same values
 * (the shipped {@code production.yml} files take them from {@code TOLLGATE_ACCESS_TOKEN_LIFETIME} and
 * {@code TOLLGATE_REFRESH_TOKEN_LIFETIME}).
 */
public class TokenLifetimes {
    @NotNull
    public Duration accessTokenLifetime = Duration.minutes(5);

    /** A refresh token's life; every rotation starts a new one (sliding), bounded by the family's re-checks. */
    @NotNull
    public Duration refreshTokenLifetime = Duration.days(30);

    /** How long a revocation fact matters: the longest life of a token it can affect. */
    public java.time.Duration revocationLifetime() {
        return (accessTokenLifetime.compareTo(refreshTokenLifetime) > 0 ? accessTokenLifetime : refreshTokenLifetime)
                .toJavaDuration();
    }
}
