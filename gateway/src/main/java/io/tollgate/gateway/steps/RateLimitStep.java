package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Step;
import io.tollgate.gateway.state.RateLimiter;

/** Admits the call against the plan's per-(client, user) limits; sets the RateLimit fields on every answer. */
public final class RateLimitStep implements Step {
    private final RateLimiter limiter;

    public RateLimitStep(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Rejection apply(Exchange exchange) {
        RateLimiter.Decision decision = limiter.acquire(exchange.token().clientId(), exchange.token().subject(),
                exchange.plan());
        if (decision == null) {
            return Rejection.unavailable("rate limit state unavailable");
        }
        exchange.responseHeaders().putAll(decision.headers());
        if (!decision.admitted()) {
            return Rejection.rateLimited(decision.retryAfterSeconds(), decision.headers());
        }
        return null;
    }
}
