package io.tollgate.gateway;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.gateway.auth.JwksKeySource;
import io.tollgate.gateway.auth.TokenVerifier;
import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.config.UpstreamUrl;
import io.tollgate.gateway.core.Pipeline;
import io.tollgate.gateway.core.RouteTable;
import io.tollgate.gateway.core.Routes;
import io.tollgate.gateway.health.JwksHealthCheck;
import io.tollgate.gateway.health.TokenStateHealthCheck;
import io.tollgate.gateway.kafka.CallEventPublisher;
import io.tollgate.gateway.kafka.CallRecorder;
import io.tollgate.gateway.proxy.ProxyServer;
import io.tollgate.gateway.state.DpopReplayCache;
import io.tollgate.gateway.state.RateLimiter;
import io.tollgate.gateway.state.TokenStateCache;
import io.tollgate.gateway.steps.IdentityHeadersStep;
import io.tollgate.gateway.steps.DpopStep;
import io.tollgate.gateway.steps.RateLimitStep;
import io.tollgate.gateway.steps.RequestSanityStep;
import io.tollgate.gateway.steps.RouteMatchStep;
import io.tollgate.gateway.steps.ScopeStep;
import io.tollgate.gateway.steps.SubscriptionStep;
import io.tollgate.gateway.steps.TokenStateStep;
import io.tollgate.gateway.steps.TokenVerificationStep;
import io.tollgate.shared.concurrent.DaemonThreads;
import io.tollgate.shared.dpop.DpopProofVerifier;
import io.tollgate.shared.redis.RedisEndpoint;
import io.tollgate.shared.redis.RedisFactory;
import io.tollgate.shared.redis.RedisHealthCheck;
import io.tollgate.shared.registry.RegistryConsumer;
import io.tollgate.shared.registry.RegistryHealthCheck;
import io.tollgate.shared.registry.RegistryView;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One gateway node, built from its configuration: the data-plane server and every component behind its
 * pipeline. Dropwizard manages it in production; tests start several against one Redis and one broker.
 */
public final class GatewayServer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    /** How often the route table checks the registry for changed APIs: well inside the 5 s an API may take. */
    static final long ROUTE_CHECK_MILLIS = 250;
    private final Pool<Jedis> pool;
    private final JwksKeySource keys;
    private final TokenStateCache tokenState;
    private final RegistryView registry = new RegistryView();
    private final RegistryConsumer registryConsumer;
    private final CallEventPublisher publisher;
    private final ThreadPoolExecutor workers;
    private final CallRecorder observer;
    private final ProxyServer proxy;
    private final Pipeline pipeline;
    private final RateLimiter rateLimiter;
    private final RouteTable routes;
    private final ScheduledExecutorService routeRefresher = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("gateway-routes"));
    /** {@link RegistryView#apiChanges()} when the route table was last built (the refresher's thread only). */
    private long routesBuiltAt = Long.MIN_VALUE;

    public GatewayServer(GatewayConfiguration config, MetricRegistry metrics) {
        // Checked before anything is connected: a route or TLS file the gateway cannot honour stops it here (the
        // proxy's TLS contexts are built with it; it binds only when started).
        requireSupportedUpstreams(config.routes);
        this.routes = new RouteTable(config.routes, config.routeDefaults);
        this.proxy = config.proxy.build(routes);
        RedisFactory redis = config.redis;
        RedisEndpoint endpoint = redis.endpoint();
        this.pool = redis.buildPool(endpoint);
        this.tokenState = config.tokenState.build(pool, endpoint, metrics);
        this.rateLimiter = new RateLimiter(endpoint, ProxyServer.clientChannelClass(), config.node, metrics);
        DpopReplayCache dpopReplay = new DpopReplayCache(endpoint, ProxyServer.clientChannelClass());
        this.keys = config.tokens.buildKeySource();
        TokenVerifier verifier = config.tokens.buildVerifier(keys, metrics);
        this.registryConsumer = new RegistryConsumer(config.kafka, registry, "gateway-registry-" + config.node,
                config.kafka.startupTimeout);
        this.publisher = config.events.build(config.kafka, config.node, metrics);
        this.workers = config.proxy.buildWorkers();
        this.pipeline = new Pipeline(List.of(
                new RequestSanityStep(),
                new RouteMatchStep(routes),
                new TokenVerificationStep(verifier, workers),
                new DpopStep(new DpopProofVerifier(), dpopReplay),
                new TokenStateStep(tokenState, workers),
                new SubscriptionStep(registry),
                new ScopeStep(),
                new RateLimitStep(rateLimiter),
                new IdentityHeadersStep()));
        this.observer = new CallRecorder(metrics, publisher,
                config.routes.stream().map(route -> route.api).toList());
        metrics.gauge("gateway.tokens.cached", () -> verifier::cachedTokens);
        metrics.gauge("gateway.token-state.cached", () -> tokenState::cachedEntries);
    }

    /** Configuration validation refuses other schemes too; this covers configurations built in code. */
    private static void requireSupportedUpstreams(List<RouteConfig> routes) {
        for (RouteConfig route : routes) {
            for (URI upstream : route.upstreams) {
                if (!UpstreamUrl.Validator.supported(upstream)) {
                    throw new IllegalStateException("route " + route.pathPrefix + ": upstream scheme '"
                            + upstream.getScheme() + "' is not supported: an upstream must be an http:// or "
                            + "https:// URL with a host");
                }
            }
        }
    }

    @Override
    public void start() throws Exception {
        keys.start();
        tokenState.start();
        registryConsumer.start();
        refreshRoutes(); // the registry as read at start-up is routed before the listener binds
        routeRefresher.scheduleWithFixedDelay(this::refreshRoutes, ROUTE_CHECK_MILLIS, ROUTE_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        rateLimiter.start();
        if (publisher != null) {
            publisher.start();
        }
        proxy.start(pipeline, observer);
    }

    /**
     * Rebuilds the route table when the registry's APIs changed since it was last built: one volatile read per check
     * otherwise. Runs on the refresher's thread (and once in {@link #start()} before it is scheduled).
     */
    private synchronized void refreshRoutes() {
        try {
            long changes = registry.apiChanges();
            if (changes == routesBuiltAt) {
                return;
            }
            routesBuiltAt = changes; // read before apis(): a change in between moves it again, and is seen next time
            Routes now = routes.update(registry.apis());
            proxy.retainUpstreams(RouteTable.upstreams(now));
        } catch (RuntimeException e) {
            routesBuiltAt = Long.MIN_VALUE; // tried again at the next check
            LOG.error("event=routes.refresh_failed error={}", e.toString());
        }
    }

    @Override
    public void stop() throws Exception {
        routeRefresher.shutdownNow();
        proxy.stop();
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        if (publisher != null) {
            publisher.stop();
        }
        rateLimiter.stop();
        registryConsumer.stop();
        tokenState.stop();
        keys.stop();
        pool.close();
    }

    /** Readiness: keys loaded, token state confirmed, registry caught up, Redis answering. */
    public Map<String, HealthCheck> healthChecks() {
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put("jwks", new JwksHealthCheck(keys));
        checks.put("token-state", new TokenStateHealthCheck(tokenState));
        checks.put("registry", new RegistryHealthCheck(registry));
        checks.put("redis", new RedisHealthCheck(pool));
        return checks;
    }

    public int port() {
        return proxy.port();
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (keys.isLoaded() && tokenState.isConfirmed() && registry.isReady()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** The routes in force. */
    public RouteTable routes() {
        return routes;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public CallEventPublisher publisher() {
        return publisher;
    }
}
