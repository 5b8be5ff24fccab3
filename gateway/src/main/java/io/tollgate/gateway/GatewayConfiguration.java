package io.tollgate.gateway;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.tollgate.gateway.config.EventsFactory;
import io.tollgate.gateway.config.ProxyFactory;
import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.config.RouteDefaults;
import io.tollgate.gateway.config.TokenFactory;
import io.tollgate.gateway.config.TokenStateFactory;
import io.tollgate.shared.auth.Account;
import io.tollgate.shared.kafka.KafkaFactory;
import io.tollgate.shared.redis.RedisFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.List;

/** The gateway's configuration; Dropwizard's own {@code server} section only hosts the admin side. */
public class GatewayConfiguration extends Configuration {

    @NotEmpty
    private String node = "local";

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

    @Valid
    @NotNull
    private RedisFactory redis = new RedisFactory();

    @Valid
    @NotNull
    private KafkaFactory kafka = new KafkaFactory();

    /**
     * Operator accounts (HTTP Basic, name and PBKDF2 passwordHash) allowed to run the admin port's tasks; with
     * none, every task is refused.
     */
    @Valid
    @NotNull
    private List<Account> operators = new ArrayList<>();

    /** Accept an operator with the demo password ({@code DemoOperator}); the local stack's YAML only. */
    private boolean allowDemoOperator = false;

    @JsonProperty
    public String getNode() {
        return node;
    }

    @JsonProperty
    public void setNode(String node) {
        this.node = node;
    }

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

    @JsonProperty
    public RedisFactory getRedis() {
        return redis;
    }

    @JsonProperty
    public void setRedis(RedisFactory redis) {
        this.redis = redis;
    }

    @JsonProperty
    public KafkaFactory getKafka() {
        return kafka;
    }

    @JsonProperty
    public void setKafka(KafkaFactory kafka) {
        this.kafka = kafka;
    }

    @JsonProperty
    public List<Account> getOperators() {
        return operators;
    }

    @JsonProperty
    public void setOperators(List<Account> operators) {
        this.operators = operators;
    }

    @JsonProperty
    public boolean isAllowDemoOperator() {
        return allowDemoOperator;
    }

    @JsonProperty
    public void setAllowDemoOperator(boolean allowDemoOperator) {
        this.allowDemoOperator = allowDemoOperator;
    }
}
