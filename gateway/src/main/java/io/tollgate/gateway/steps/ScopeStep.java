package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;

/**
 * The route's scope for the method must be among the scopes in effect for the call, the token's scopes that the plan
 * of the route's API grants (RFC 6750 §3.1 insufficient_scope): a scope granted on another API does not count.
 */
public final class ScopeStep implements Step {

    @Override
    public Stage apply(Exchange exchange) {
        String needed = exchange.route().scopeFor(exchange.method());
        if (needed == null) {
            return Rejection.methodNotAllowed();
        }
        if (needed.isEmpty() || exchange.scopes().contains(needed)) {
            return Stage.NEXT;
        }
        return Rejection.insufficientScope(needed);
    }
}
