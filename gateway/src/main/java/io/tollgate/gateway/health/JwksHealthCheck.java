package io.tollgate.gateway.health;

import com.codahale.metrics.health.HealthCheck;
import io.tollgate.gateway.auth.JwksKeySource;

/** Ready once the issuer's key set has been loaded at least once. */
public class JwksHealthCheck extends HealthCheck {
    private final JwksKeySource keys;

    public JwksHealthCheck(JwksKeySource keys) {
        this.keys = keys;
    }

    @Override
    protected Result check() {
        return keys.isLoaded() ? Result.healthy("%d keys", keys.size()) : Result.unhealthy("JWKS not loaded yet");
    }
}
