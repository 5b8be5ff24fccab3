package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;
import io.tollgate.gateway.state.RateLimiter;

import java.util.function.Consumer;

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
        return new Call(exchange);
    }

    /** One call's wait for the limiter, and its answer to the decision (one object for both). */
    private final class Call implements Stage.Pending, Consumer<RateLimiter.Decision> {
        private final Exchange exchange;
        private Consumer<Stage> done;

        Call(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void onDone(Consumer<Stage> done) {
            this.done = done;
            // Counted per subscription (the application on this route's API), so an application's APIs on different
            // plans each keep their own windows.
            limiter.acquireAsync(exchange.subscription().subscriptionId(), exchange.token().subject(),
                    exchange.plan(), exchange.eventLoop(), this);
        }

        @Override
        public void accept(RateLimiter.Decision decision) {
            if (decision == null) {
                done.accept(Rejection.unavailable("rate limit state unavailable"));
                return;
            }
            exchange.responseHeaders(decision.fields());
            done.accept(decision.admitted() ? Stage.NEXT
                    : Rejection.rateLimited(decision.retryAfterSeconds(), decision.fields()));
        }
    }
}
