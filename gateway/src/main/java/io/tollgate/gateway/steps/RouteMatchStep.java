package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Route;
import io.tollgate.gateway.core.RouteTable;
import io.tollgate.gateway.core.Step;

/**
 * Finds the route whose prefix is the longest match of the path, in the routes in force now; none is a 404
 * {@code unknown_api}.
 */
public final class RouteMatchStep implements Step {
    private final RouteTable routes;

    public RouteMatchStep(RouteTable routes) {
        this.routes = routes;
    }

    @Override
    public Stage apply(Exchange exchange) {
        Route route = routes.current().match(exchange.path());
        if (route == null) {
            return Rejection.unknownApi();
        }
        if (route.scopeFor(exchange.method()) == null) {
            return Rejection.methodNotAllowed();
        }
        exchange.route(route);
        return Stage.NEXT;
    }
}
