package io.tollgate.gateway.health;

import com.codahale.metrics.health.HealthCheck;
import io.tollgate.gateway.state.TokenStateCache;

/** Ready while token state is confirmed: invalidation subscription live and the projection ready. */
public class TokenStateHealthCheck extends HealthCheck {
    private final TokenStateCache state;

    public TokenStateHealthCheck(TokenStateCache state) {
        this.state = state;
    }

    @Override
    protected Result check() {
        if (state.isConfirmed()) {
            return Result.healthy();
        }
        return Result.unhealthy("token state unconfirmed: subscribed=%s projectionReady=%s", state.isSubscribed(),
                state.isProjectionReady());
    }
}
