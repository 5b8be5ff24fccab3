package io.tollgate.gateway.steps;

import io.tollgate.gateway.auth.TokenVerifier;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.OnWorker;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;
import io.tollgate.gateway.core.TokenText;

import java.util.concurrent.Executor;

/**
 * Verifies the bearer token for the route's API; no token at all is a 401 without an error code. On the event loop
 * it verifies with the cached keys only; a token whose key only a fetch could find is verified on a worker thread
 * (a full worker queue: 503).
 */
public final class TokenVerificationStep implements Step {
    private final TokenVerifier verifier;
    private final Executor workers;

    public TokenVerificationStep(TokenVerifier verifier, Executor workers) {
        this.verifier = verifier;
        this.workers = workers;
    }

    @Override
    public Stage apply(Exchange exchange) {
        TokenText bearer = exchange.bearer();
        if (bearer == null) {
            return Rejection.noCredentials();
        }
        TokenVerifier.Result result = verifier.verifyCached(bearer, exchange.route().api());
        if (result != TokenVerifier.Result.KEYS_NOT_CACHED) {
            return answer(exchange, result);
        }
        return OnWorker.run(workers, () -> answer(exchange, verifier.verify(bearer, exchange.route().api())));
    }

    private static Stage answer(Exchange exchange, TokenVerifier.Result result) {
        if (result.token() == null) {
            return Rejection.invalidToken(result.failure());
        }
        exchange.token(result.token());
        return Stage.NEXT;
    }
}
