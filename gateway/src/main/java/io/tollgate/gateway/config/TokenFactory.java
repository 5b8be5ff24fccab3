package io.tollgate.gateway.config;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import io.tollgate.gateway.auth.JwksKeySource;
import io.tollgate.gateway.auth.TokenVerifier;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.net.URI;
import java.util.List;

/** How access tokens are verified: key source, issuer, algorithm allow-list, skew and the verified-token cache. */
public class TokenFactory {

    @NotNull
    public URI jwksUrl = URI.create("http://127.0.0.1:8080/oauth2/jwks");

    /** Compared exactly with {@code iss}. */
    @NotEmpty
    public String issuer = "http://127.0.0.1:8080";

    @NotEmpty
    public List<@NotEmpty String> algorithms = List.of("EdDSA", "ES256", "RS256");

    @NotNull
    public Duration clockSkew = Duration.seconds(30);

    /** How long a fetched JWKS is used; refreshed ahead of that on a schedule, so a rotated-out key stops verifying. */
    @NotNull
    public Duration jwksRefreshInterval = Duration.minutes(5);

    /** At most one refresh per this interval when a token names an unknown kid. */
    @NotNull
    public Duration jwksMinRefreshInterval = Duration.seconds(5);

    @Min(0)
    public long cacheSize = 100_000;

    /** The signing keys, fetched from {@code jwksUrl} (a managed component: started with the gateway). */
    public JwksKeySource buildKeySource() {
        return new JwksKeySource(jwksUrl, jwksRefreshInterval.toJavaDuration(), jwksMinRefreshInterval.toJavaDuration());
    }

    /** The verifier of access tokens signed by {@code keys}. */
    public TokenVerifier buildVerifier(JwksKeySource keys, MetricRegistry metrics) {
        return new TokenVerifier(keys, issuer, algorithms, clockSkew.toJavaDuration(), cacheSize, metrics);
    }

    @JsonIgnore
    @ValidationMethod(message = "jwksMinRefreshInterval must be positive and shorter than jwksRefreshInterval")
    public boolean isJwksMinRefreshIntervalShorter() {
        return jwksMinRefreshInterval == null || jwksRefreshInterval == null
                || jwksMinRefreshInterval.toMilliseconds() > 0
                && jwksMinRefreshInterval.toMilliseconds() < jwksRefreshInterval.toMilliseconds();
    }
}
