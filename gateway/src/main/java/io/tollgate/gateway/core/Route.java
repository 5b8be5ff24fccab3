package io.tollgate.gateway.core;

import io.tollgate.gateway.config.RouteConfig;

import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A route, ready for matching, with a round-robin choice among its upstreams: a static route of the configuration,
 * or an API of the registry.
 */
public final class Route {
    private final RouteConfig config;
    private final Object source;
    private final String prefix;
    private final String bare;
    private final List<URI> upstreams;
    private final HeaderFamilies identityHeaders;
    /** The configuration's {@code scopes} with each method upper-cased (or {@code *}), made once, not per request. */
    private final Map<String, String> scopes;
    private final AtomicInteger next = new AtomicInteger();
    private final java.util.concurrent.ConcurrentHashMap<URI, String> hostHeaders =
            new java.util.concurrent.ConcurrentHashMap<>();

    public Route(RouteConfig config) {
        this(config, config);
    }

    /** @param source what the route was built from (its configuration, or the registry's record) */
    public Route(RouteConfig config, Object source) {
        this.config = config;
        this.source = source;
        this.prefix = config.pathPrefix;
        this.bare = prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.upstreams = List.copyOf(config.upstreams);
        this.identityHeaders = HeaderFamilies.identityAnd(config.identityHeaderFamilies);
        Map<String, String> byMethod = new HashMap<>();
        config.scopes.forEach((method, scope) -> byMethod.put(method.toUpperCase(Locale.ROOT), scope));
        this.scopes = Collections.unmodifiableMap(byMethod); // a later spelling of one method wins, as configured
    }

    /**
     * The scope {@code method} needs (configured in any case: {@code get} is {@code GET}; {@code *} for any other
     * method), or null when the route does not allow the method.
     */
    public String scopeFor(String method) {
        String scope = scopes.get(method);
        return scope != null ? scope : scopes.get("*");
    }

    /** The header families stripped from every request to this route: the identity defaults plus the route's own. */
    public HeaderFamilies identityHeaders() {
        return identityHeaders;
    }

    /** What the route was built from: its {@link RouteConfig}, or the registry's {@code ApiRecord}. */
    public Object source() {
        return source;
    }

    public RouteConfig config() {
        return config;
    }

    public String api() {
        return config.api;
    }

    public String prefix() {
        return prefix;
    }

    public boolean matches(String path) {
        return path.startsWith(prefix) || path.equals(bare);
    }

    /** The {@code Host} header for {@code upstream} (one of this route's upstreams), built once. */
    public String hostHeader(URI upstream) {
        String host = hostHeaders.get(upstream);
        if (host == null) {
            host = upstream.getHost() + (upstream.getPort() > 0 ? ":" + upstream.getPort() : "");
            hostHeaders.putIfAbsent(upstream, host);
        }
        return host;
    }

    public URI nextUpstream() {
        return upstreams.get(Math.floorMod(next.getAndIncrement(), upstreams.size()));
    }

    /** The path + query to request from the upstream, joined to its base path. */
    public String upstreamUri(URI upstream, String pathAndQuery) {
        String rest = pathAndQuery;
        if (config.stripPrefix) {
            rest = pathAndQuery.startsWith(prefix) ? pathAndQuery.substring(prefix.length())
                    : pathAndQuery.substring(bare.length());
            if (!rest.startsWith("/")) {
                rest = "/" + rest;
            }
        }
        String base = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + rest;
    }
}
