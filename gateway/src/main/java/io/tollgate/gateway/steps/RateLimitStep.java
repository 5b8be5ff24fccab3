package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;
import io.tollgate.gateway.state.RateLimiter;

/**
 * Admits the call against the plan's per-(client, user) limits, its app-wide limit per minute and its monthly quota
 * (per client); sets the RateLimit fields on every answer.
 */
public final class RateLimitStep implements Step {
    private final RateLimiter limiter;

    public RateLimitStep(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Stage apply(Exchange exchange) {
        // Counted per subscription (the application on this route's API), so an application's APIs on different
        // plans each keep their own windows.
        return (Stage.Pending) done -> limiter.acquireAsync(exchange.subscription().subscriptionId(),
                exchange.token().subject(), exchange.plan(), exchange.eventLoop(), decision -> {
                    if (decision == null) {
                        done.accept(Rejection.unavailable("rate limit state unavailable"));
                        return;
                    }
                    exchange.responseHeaders(decision.fields());
                    done.accept(decision.admitted() ? Stage.NEXT
                            : Rejection.rateLimited(decision.retryAfterSeconds(), decision.fields()));
                });
    }
}
