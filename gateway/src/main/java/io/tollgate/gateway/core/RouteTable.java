package io.tollgate.gateway.core;

import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.config.RouteDefaults;
import io.tollgate.gateway.config.UpstreamUrl;
import io.tollgate.shared.events.ApiRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routes in force: the registry's APIs ({@link ApiRecord}) and the static {@code routes:} of the configuration,
 * an API of the registry replacing every static route of the same name. Requests read {@link #current()}, an
 * immutable {@link Routes} behind a volatile reference; {@link #update} builds the next one off the request path
 * and swaps it in. An API whose record did not change keeps its {@link Route} (and its round-robin position).
 */
public final class RouteTable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteTable.class);

    private final List<Route> statics;
    private final RouteDefaults defaults;
    private volatile Routes current;
    /** The registry's routes of the table in force, by API name (guarded by this). */
    private Map<String, Route> fromRegistry = Map.of();
    /** Static route names shadowed by the registry, and records refused, each logged once (guarded by this). */
    private final Set<String> shadowedLogged = new HashSet<>();
    private final Set<ApiRecord> refusedLogged = new HashSet<>();

    public RouteTable(List<RouteConfig> statics, RouteDefaults defaults) {
        this.statics = statics.stream().map(Route::new).toList();
        this.defaults = defaults;
        this.current = new Routes(this.statics);
    }

    /** The routes to match the request against now. */
    public Routes current() {
        return current;
    }

    /**
     * Makes the table reflect {@code apis} (the registry's APIs, all of them) and the static routes.
     *
     * @return the routes now in force
     */
    public synchronized Routes update(Collection<ApiRecord> apis) {
        Map<String, Route> next = new LinkedHashMap<>();
        List<ApiRecord> sorted = new ArrayList<>(apis);
        sorted.sort(Comparator.comparing(ApiRecord::name));
        for (ApiRecord api : sorted) {
            Route kept = fromRegistry.get(api.name());
            if (kept != null && api.equals(kept.source())) {
                next.put(api.name(), kept);
                continue;
            }
            Route route = toRoute(api);
            if (route != null) {
                next.put(api.name(), route);
            }
        }
        List<Route> all = new ArrayList<>(next.values());
        Set<String> shadowed = new HashSet<>();
        for (Route route : statics) {
            if (next.containsKey(route.api())) {
                shadowed.add(route.api());
            } else {
                all.add(route);
            }
        }
        for (String api : shadowed) {
            if (shadowedLogged.add(api)) {
                LOG.info("event=route.static_replaced api={} by=registry", api);
            }
        }
        shadowedLogged.retainAll(shadowed); // logged again if it comes back after a removal
        refusedLogged.retainAll(sorted);
        fromRegistry = next;
        Routes routes = new Routes(all);
        current = routes;
        return routes;
    }

    /** The route of a registry API, or null (logged once per record) when the gateway cannot honour it. */
    private Route toRoute(ApiRecord api) {
        try {
            List<URI> upstreams = new ArrayList<>();
            for (String upstream : api.upstreams()) {
                URI uri = URI.create(upstream);
                if (!UpstreamUrl.Validator.supported(uri)) {
                    throw new IllegalArgumentException("upstream '" + safe(uri)
                            + "' is not an http:// or https:// URL with a host");
                }
                upstreams.add(uri);
            }
            RouteConfig config = new RouteConfig();
            config.api = api.name();
            config.pathPrefix = api.pathPrefix();
            config.upstreams = upstreams;
            config.scopes = api.scopes();
            config.stripPrefix = api.stripPrefix();
            config.forwardAuthorization = api.forwardAuthorization();
            config.connectTimeout = defaults.connectTimeout;
            config.readTimeout = defaults.readTimeout;
            config.identityHeaderFamilies = defaults.identityHeaderFamilies;
            return new Route(config, api);
        } catch (IllegalArgumentException e) {
            if (refusedLogged.add(api)) {
                LOG.warn("event=route.refused api={} reason=\"{}\"", api.name(), e.getMessage().replace('"', '\''));
            }
            return null;
        }
    }

    /** Scheme, host and port of a URL: never its user info, path or query, which could hold a secret. */
    private static String safe(URI uri) {
        return (uri.getScheme() == null ? "" : uri.getScheme() + "://") + (uri.getHost() == null ? "?" : uri.getHost())
                + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
    }

    /** Every upstream of the routes in force, for the connection pools to keep. */
    public static Set<URI> upstreams(Routes routes) {
        Set<URI> out = new LinkedHashSet<>();
        routes.all().forEach(r -> out.addAll(r.config().upstreams));
        return out;
    }
}
