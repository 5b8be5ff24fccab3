package io.tollgate.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tollgate.gateway.config.EventsFactory;
import io.tollgate.gateway.config.ProxyFactory;
import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.config.RouteDefaults;
import io.tollgate.gateway.config.TokenFactory;
import io.tollgate.gateway.config.TokenStateFactory;
import io.tollgate.shared.config.ServiceConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's configuration: node, kafka, redis and operators as every service has them
 * ({@link ServiceConfiguration}); Dropwizard's own {@code server} section only hosts the admin side.
 */
public class GatewayConfiguration extends ServiceConfiguration {

    @Valid
    @NotNull
    private ProxyFactory proxy = new ProxyFactory();

    /**
     * Static routes, for deployments without the control plane; the registry's APIs are routed beside them, and an
     * API of the registry replaces the static routes of the same name.
     */
    @Valid
    @NotNull
    private List<@Valid @NotNull RouteConfig> routes = new ArrayList<>();

    /** Connect and read timeouts and identity header families of the routes the registry defines. */
    @Valid
    @NotNull
    private RouteDefaults routeDefaults = new RouteDefaults();

    @Valid
    @NotNull
    private TokenFactory tokens = new TokenFactory();

    @Valid
    @NotNull
    private TokenStateFactory tokenState = new TokenStateFactory();

    @Valid
    @NotNull
    private EventsFactory events = new EventsFactory();

    @JsonProperty
    public ProxyFactory getProxy() {
        return proxy;
    }

    @JsonProperty
    public void setProxy(ProxyFactory proxy) {
        this.proxy = proxy;
    }

    @JsonProperty
    public List<RouteConfig> getRoutes() {
        return routes;
    }

    @JsonProperty
    public void setRoutes(List<RouteConfig> routes) {
        this.routes = routes;
    }

    @JsonProperty
    public RouteDefaults getRouteDefaults() {
        return routeDefaults;
    }

    @JsonProperty
    public void setRouteDefaults(RouteDefaults routeDefaults) {
        this.routeDefaults = routeDefaults;
    }

    @JsonProperty
    public TokenFactory getTokens() {
        return tokens;
    }

    @JsonProperty
    public void setTokens(TokenFactory tokens) {
        this.tokens = tokens;
    }

    @JsonProperty
    public TokenStateFactory getTokenState() {
        return tokenState;
    }

    @JsonProperty
    public void setTokenState(TokenStateFactory tokenState) {
        this.tokenState = tokenState;
    }

    @JsonProperty
    public EventsFactory getEvents() {
        return events;
    }

    @JsonProperty
    public void setEvents(EventsFactory events) {
        this.events = events;
    }

}
