package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.AsyncStep;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.state.RateLimiter;

import java.util.function.Consumer;

/**
 * Admits the call against the plan's per-(client, user) limits, its app-wide limit per minute and its monthly quota
 * (per client); sets the RateLimit fields on every answer.
 */
public final class RateLimitStep implements AsyncStep {
    private final RateLimiter limiter;

    public RateLimitStep(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void start(Exchange exchange, Consumer<Rejection> done) {
        // Counted per subscription (the application on this route's API), so an application's APIs on different
        // plans each keep their own windows.
        limiter.acquireAsync(exchange.subscription().subscriptionId(), exchange.token().subject(), exchange.plan(),
                exchange.eventLoop(), decision -> {
            if (decision == null) {
                done.accept(Rejection.unavailable("rate limit state unavailable"));
                return;
            }
            exchange.responseHeaders().putAll(decision.headers());
            done.accept(decision.admitted() ? null
                    : Rejection.rateLimited(decision.retryAfterSeconds(), decision.headers()));
        });
    }
}
