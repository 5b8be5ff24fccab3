package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Route;
import io.tollgate.gateway.core.Routes;
import io.tollgate.gateway.core.Step;

/** Finds the route whose prefix is the longest match of the path; none is a 404. */
public final class RouteMatchStep implements Step {
    private final Routes routes;

    public RouteMatchStep(Routes routes) {
        this.routes = routes;
    }

    @Override
    public Rejection apply(Exchange exchange) {
        Route route = routes.match(exchange.path());
        if (route == null) {
            return Rejection.notFound();
        }
        if (route.config().scopeFor(exchange.method()).isEmpty()) {
            return Rejection.methodNotAllowed();
        }
        exchange.route(route);
        return null;
    }
}
