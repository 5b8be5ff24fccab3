package io.tollgate.gateway.steps;

import io.tollgate.gateway.auth.TokenVerifier;
import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;

/** Verifies the bearer token for the route's API; no token at all is a 401 without an error code. */
public final class TokenVerificationStep implements Step {
    private final TokenVerifier verifier;

    public TokenVerificationStep(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Stage apply(Exchange exchange) {
        if (exchange.bearerToken() == null) {
            return Rejection.noCredentials();
        }
        TokenVerifier.Result result = verifier.verify(exchange.bearerToken(), exchange.route().api());
        if (result.token() == null) {
            return Rejection.invalidToken(result.failure());
        }
        exchange.token(result.token());
        return Stage.NEXT;
    }
}
