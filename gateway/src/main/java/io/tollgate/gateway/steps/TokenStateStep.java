package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Step;
import io.tollgate.gateway.state.TokenStateCache;

/** Revocation and entitlement state of the token: 401 when revoked, 503 when it cannot be confirmed. */
public final class TokenStateStep implements Step {
    private final TokenStateCache state;

    public TokenStateStep(TokenStateCache state) {
        this.state = state;
    }

    @Override
    public Rejection apply(Exchange exchange) {
        return answer(state.check(exchange.token()));
    }

    /** Answers from the local cache; a miss needs Redis, so the step runs on a worker instead. */
    @Override
    public Rejection tryInline(Exchange exchange) {
        TokenStateCache.Verdict verdict = state.checkCached(exchange.token());
        return verdict == null ? Rejection.WOULD_BLOCK : answer(verdict);
    }

    private static Rejection answer(TokenStateCache.Verdict verdict) {
        return switch (verdict.status()) {
            case VALID -> null;
            case REVOKED -> Rejection.revoked(verdict.reason());
            case UNCONFIRMED -> Rejection.unavailable(verdict.reason());
        };
    }
}
