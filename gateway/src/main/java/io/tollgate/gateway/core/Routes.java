package io.tollgate.gateway.core;

import java.util.Comparator;
import java.util.List;

/**
 * A set of routes, matched by the longest path prefix (on equal lengths, the one listed first). Immutable: the
 * {@link RouteTable} swaps in a new one when the routes change.
 */
public final class Routes {
    private final List<Route> all;
    private final List<Route> byLongestPrefix;
    private final boolean extraIdentityFamilies;

    public Routes(List<Route> routes) {
        this.all = List.copyOf(routes);
        this.byLongestPrefix = routes.stream()
                .sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed()).toList();
        this.extraIdentityFamilies = routes.stream().anyMatch(r -> r.identityHeaders() != HeaderFamilies.identity());
    }

    /** Every route, in the order given. */
    public List<Route> all() {
        return all;
    }

    /** The route owning {@code path} (raw, before any decoding), or null. */
    public Route match(String path) {
        for (int i = 0; i < byLongestPrefix.size(); i++) { // by index: no iterator per request
            Route route = byLongestPrefix.get(i);
            if (route.matches(path)) {
                return route;
            }
        }
        return null;
    }

    /** The identity families to strip from a request for {@code uri}: the defaults, plus its route's own. */
    public HeaderFamilies identityHeaders(String uri) {
        if (!extraIdentityFamilies) {
            return HeaderFamilies.identity();
        }
        int q = uri.indexOf('?');
        Route route = match(q < 0 ? uri : uri.substring(0, q));
        return route == null ? HeaderFamilies.identity() : route.identityHeaders();
    }
}
