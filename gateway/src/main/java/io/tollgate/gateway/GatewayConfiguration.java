package io.tollgate.gateway;

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
    public ProxyFactory proxy = new ProxyFactory();

    /**
     * Static routes, for deployments without the control plane; the registry's APIs are routed beside them, and an
     * API of the registry replaces the static routes of the same name.
     */
    @Valid
    @NotNull
    public List<@Valid @NotNull RouteConfig> routes = new ArrayList<>();

    /** Connect and read timeouts and identity header families of the routes the registry defines. */
    @Valid
    @NotNull
    public RouteDefaults routeDefaults = new RouteDefaults();

    @Valid
    @NotNull
    public TokenFactory tokens = new TokenFactory();

    @Valid
    @NotNull
    public TokenStateFactory tokenState = new TokenStateFactory();

    @Valid
    @NotNull
    public EventsFactory events = new EventsFactory();
}
