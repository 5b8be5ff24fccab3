package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.OnWorker;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;
import io.tollgate.gateway.state.TokenStateCache;

import java.util.concurrent.Executor;

/**
 * Revocation and entitlement state of the token: 401 when revoked, 503 when it cannot be confirmed. Answered from
 * the local cache on the event loop; a miss reads Redis on a worker thread (a full worker queue: 503).
 */
public final class TokenStateStep implements Step {
    private final TokenStateCache state;
    private final Executor workers;

    public TokenStateStep(TokenStateCache state, Executor workers) {
        this.state = state;
        this.workers = workers;
    }

    @Override
    public Stage apply(Exchange exchange) {
        TokenStateCache.Verdict cached = state.checkCached(exchange.token());
        if (cached != null) {
            return answer(cached);
        }
        return OnWorker.run(workers, () -> answer(state.check(exchange.token())));
    }

    private static Stage answer(TokenStateCache.Verdict verdict) {
        return switch (verdict.status()) {
            case VALID -> Stage.NEXT;
            case REVOKED -> Rejection.revoked(verdict.reason());
            case UNCONFIRMED -> Rejection.unavailable(verdict.reason());
        };
    }
}
