package io.tollgate.gateway;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import io.netty.handler.ssl.SslContext;
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
import io.tollgate.shared.dpop.DpopProofVerifier;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.redis.RedisFactory;
import io.tollgate.shared.redis.RedisHealthCheck;
import io.tollgate.shared.registry.RegistryConsumer;
import io.tollgate.shared.registry.RegistryHealthCheck;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One gateway node, built from its configuration: the data-plane server and every component behind its
 * pipeline. Dropwizard manages it in production; tests start several against one Redis and one broker.
 */
public final class GatewayServer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    /** How often the route table checks the registry for changed APIs: well inside the 5 s an API may take. */
    static final long ROUTE_CHECK_MILLIS = 250;
    private final JedisPool pool;
    private final JwksKeySource keys;
    private final TokenStateCache tokenState;
    private final RegistryView registry = new RegistryView();
    private final RegistryConsumer registryConsumer;
    private final CallEventPublisher publisher;
    private final ThreadPoolExecutor workers;
    private final ProxyServer proxy;
    private final Pipeline pipeline;
    private final RateLimiter rateLimiter;
    private final RouteTable routes;
    private final ScheduledExecutorService routeRefresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-routes");
        t.setDaemon(true);
        return t;
    });
    /** {@link RegistryView#apiChanges()} when the route table was last built (the refresher's thread only). */
    private long routesBuiltAt = Long.MIN_VALUE;

    public GatewayServer(GatewayConfiguration config, MetricRegistry metrics) {
        // Checked before anything is started: a route or TLS file the gateway cannot honour stops it here.
        requireSupportedUpstreams(config.getRoutes());
        SslContext listenerTls = config.getProxy().getTls() == null ? null : config.getProxy().getTls().build();
        // Always built: the registry may add an https:// upstream at any time.
        SslContext upstreamTls = config.getProxy().getUpstreamTls().build();
        RedisFactory redis = config.getRedis();
        this.pool = redis.buildPool();
        var tokens = config.getTokens();
        this.keys = new JwksKeySource(tokens.getJwksUrl(), tokens.getJwksRefreshInterval().toJavaDuration(),
                tokens.getJwksMinRefreshInterval().toJavaDuration());
        this.routes = new RouteTable(config.getRoutes(), config.getRouteDefaults());
        TokenVerifier verifier = new TokenVerifier(keys, tokens.getIssuer(), tokens.getAlgorithms(),
                tokens.getClockSkew().toJavaDuration(), tokens.getCacheSize(), metrics);
        var state = config.getTokenState();
        this.tokenState = new TokenStateCache(pool, redis.hostAndPort(), subscriberConfig(redis),
                state.getStalenessBound().toJavaDuration(), state.getMaxEntryAge().toJavaDuration(),
                state.getCacheSize(), metrics);
        this.registryConsumer = new RegistryConsumer(config.getKafka(), registry, "gateway-registry-" + config.getNode(),
                config.getKafka().getStartupTimeout());
        this.publisher = config.getEvents().isEnabled()
                ? new CallEventPublisher(producer(config), Event.source("gateway", config.getNode()),
                config.getEvents().getQueueCapacity(), metrics)
                : null;
        this.rateLimiter = new RateLimiter(redis.getHost(), redis.getPort(),
                redis.getPassword() == null ? null : redis.getPassword().reveal(), redis.getDatabase(),
                redis.getTimeout(), ProxyServer.clientChannelClass(), config.getNode(), metrics);
        int threads = config.getProxy().getWorkerThreads();
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.getProxy().getMaxQueuedRequests()), r -> {
                    Thread t = new Thread(r, "gateway-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.pipeline = new Pipeline(List.of(
                new RequestSanityStep(),
                new RouteMatchStep(routes),
                new TokenVerificationStep(verifier),
                new DpopStep(new DpopProofVerifier(), new DpopReplayCache(redis.getHost(), redis.getPort(),
                        redis.getPassword() == null ? null : redis.getPassword().reveal(), redis.getDatabase(),
                        redis.getTimeout(), ProxyServer.clientChannelClass())),
                new TokenStateStep(tokenState, workers),
                new SubscriptionStep(registry),
                new ScopeStep(),
                new RateLimitStep(rateLimiter),
                new IdentityHeadersStep()));
        this.proxy = new ProxyServer(config.getProxy(), listenerTls, upstreamTls, routes, pipeline,
                new CallRecorder(metrics, publisher, config.getRoutes().stream().map(RouteConfig::getApi).toList()));
        metrics.gauge("gateway.tokens.cached", () -> verifier::cachedTokens);
        metrics.gauge("gateway.token-state.cached", () -> tokenState::cachedEntries);
    }

    /** Configuration validation refuses other schemes too; this covers configurations built in code. */
    private static void requireSupportedUpstreams(List<RouteConfig> routes) {
        for (RouteConfig route : routes) {
            for (URI upstream : route.getUpstreams()) {
                if (!UpstreamUrl.Validator.supported(upstream)) {
                    throw new IllegalStateException("route " + route.getPathPrefix() + ": upstream scheme '"
                            + upstream.getScheme() + "' is not supported: an upstream must be an http:// or "
                            + "https:// URL with a host");
                }
            }
        }
    }

    private static JedisClientConfig subscriberConfig(RedisFactory redis) {
        // The subscription blocks reading; liveness comes from PINGs on it, not from a socket timeout.
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder().autoNegotiateProtocol(false)
                .connectionTimeoutMillis((int) redis.getTimeout().toMillis())
                .socketTimeoutMillis(0)
                .database(redis.getDatabase());
        if (redis.getPassword() != null && !redis.getPassword().isEmpty()) {
            builder.password(redis.getPassword().reveal());
        }
        return builder.build();
    }

    private static KafkaProducer<String, Event<?>> producer(GatewayConfiguration config) {
        Properties props = config.getKafka().producerProperties("gateway-calls-" + config.getNode());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG,
                Long.toString(config.getEvents().getMaxBlock().toMilliseconds()));
        props.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(config.getEvents().getLinger().toMilliseconds()));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        return new KafkaProducer<>(props, Topics.CALLS.keySerde().serializer(), Topics.CALLS.valueSerde().serializer());
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
        proxy.start();
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
