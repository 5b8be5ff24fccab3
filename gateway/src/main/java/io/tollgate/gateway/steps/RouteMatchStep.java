package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Route;
import io.tollgate.gateway.core.Step;

import java.util.Comparator;
import java.util.List;

/** Finds the route whose prefix is the longest match of the path; none is a 404. */
public final class RouteMatchStep implements Step {
    private final List<Route> routes;

    public RouteMatchStep(List<Route> routes) {
        this.routes = routes.stream().sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed())
                .toList();
    }

    @Override
    public Rejection apply(Exchange exchange) {
        for (Route route : routes) {
            if (route.matches(exchange.path())) {
                if (route.config().scopeFor(exchange.method()).isEmpty()) {
                    return Rejection.methodNotAllowed();
                }
                exchange.route(route);
                return null;
            }
        }
        return Rejection.notFound();
    }
}
