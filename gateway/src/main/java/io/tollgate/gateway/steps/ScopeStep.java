package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Step;

/** The route's scope for the method must be among the token's scopes (RFC 6750 §3.1 insufficient_scope). */
public final class ScopeStep implements Step {

    @Override
    public Rejection apply(Exchange exchange) {
        String needed = exchange.route().config().scopeFor(exchange.method()).orElse(null);
        if (needed == null) {
            return Rejection.methodNotAllowed();
        }
        if (needed.isEmpty() || exchange.token().scopes().contains(needed)) {
            return null;
        }
        return Rejection.insufficientScope(needed);
    }
}
