package io.tollgate.tokenapi.health;

import com.codahale.metrics.health.HealthCheck;
import io.tollgate.tokenapi.idp.IdentityProvider;
import io.tollgate.tokenapi.idp.IdentityProviderUnavailableException;

/** Healthy while the identity provider answers. */
public class IdentityProviderHealthCheck extends HealthCheck {
    private final IdentityProvider idp;

    public IdentityProviderHealthCheck(IdentityProvider idp) {
        this.idp = idp;
    }

    @Override
    protected Result check() {
        try {
            idp.ping();
            return Result.healthy();
        } catch (IdentityProviderUnavailableException e) {
            return Result.unhealthy(e.getMessage());
        }
    }
}
