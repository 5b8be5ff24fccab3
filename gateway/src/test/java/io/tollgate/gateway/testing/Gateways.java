package io.tollgate.gateway.testing;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.tollgate.gateway.GatewayConfiguration;
import io.tollgate.gateway.GatewayServer;
import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.FreePorts;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds gateway configurations and servers against the fixtures, and sends requests through them. */
public final class Gateways {
    /**
     * A second API beside the demo's {@code mobile} (plan {@code basic}: {@code read}), routed at {@code /orders/},
     * to which demo-mobile is subscribed on a plan that grants {@code read write}: scopes are bound to their API.
     */
    public static final String ORDERS = "orders";
    public static final PlanRecord ORDERS_PLAN = new PlanRecord("orders-plus", ORDERS, "Orders plus",
            Set.of("read", "write"), 600, 0, 0, 10, false, DemoRegistry.GRANT_TYPES);
    public static final SubscriptionRecord ORDERS_SUBSCRIPTION = new SubscriptionRecord("sub-demo-mobile-app-orders",
            DemoRegistry.APPLICATION_ID, DemoRegistry.CLIENT_ID, ORDERS, ORDERS_PLAN.planId(),
            SubscriptionRecord.Status.APPROVED, Instant.parse("2026-01-01T00:00:00Z"));
    private static volatile boolean registryPublished;

    private Gateways() {
    }

    /** Topics, demo registry plus the {@code orders} API (once per JVM) and a ready projection. */
    public static void prepare(KafkaExtension kafka, RedisExtension redis) throws Exception {
        publishRegistry(kafka);
        markProjectionReady(redis);
    }

    /** Topics, demo registry plus the {@code orders} API (once per JVM). */
    public static void publishRegistry(KafkaExtension kafka) throws Exception {
        synchronized (Gateways.class) {
            if (!registryPublished) {
                kafka.createTopics(Topics.ALL);
                try (var producer = kafka.producer(Topics.REGISTRY)) {
                    URI source = URI.create("/tollgate/test/gateway-it");
                    DemoRegistry.publish(producer, source);
                    for (EventData data : List.<EventData>of(ORDERS_PLAN, ORDERS_SUBSCRIPTION)) {
                        producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), data.subject(),
                                Event.of(source, data))).get();
                    }
                }
                registryPublished = true;
            }
        }
    }

    public static void markProjectionReady(RedisExtension redis) {
        try (Jedis jedis = redis.jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
    }

    public static GatewayConfiguration config(String node, KafkaExtension kafka, RedisExtension redis,
                                              TestIssuer issuer, URI upstream) {
        GatewayConfiguration config = config(node, kafka, issuer, upstream);
        config.redis.host = redis.host();
        config.redis.port = redis.port();
        return config;
    }

    /** A configuration whose Redis (its host, or its Sentinels) the caller sets. */
    public static GatewayConfiguration config(String node, KafkaExtension kafka, TestIssuer issuer, URI upstream) {
        GatewayConfiguration config = new GatewayConfiguration();
        config.node = node;
        config.proxy.port = 0;
        config.proxy.ioThreads = 2;
        config.proxy.workerThreads = 16;
        RouteConfig mobile = route("mobile", "/mobile/", upstream);
        mobile.readTimeout = Duration.seconds(1);
        RouteConfig forwarding = route("mobile", "/mobile-fwd/", upstream);
        forwarding.forwardAuthorization = true;
        forwarding.stripPrefix = true;
        RouteConfig down = route("mobile", "/mobile-down/", URI.create("http://127.0.0.1:" + FreePorts.find()));
        RouteConfig orders = route(ORDERS, "/orders/", upstream);
        orders.readTimeout = Duration.seconds(1);
        config.routes = List.of(mobile, forwarding, down, orders);
        config.tokens.jwksUrl = issuer.jwksUri();
        config.tokens.issuer = TestIssuer.ISSUER;
        config.tokens.clockSkew = Duration.seconds(5);
        config.tokens.jwksMinRefreshInterval = Duration.seconds(2);
        config.redis.timeout = java.time.Duration.ofSeconds(2); // a loaded CI box must not turn into 503s
        config.kafka.bootstrapServers = kafka.bootstrapServers();
        config.kafka.startupTimeout = java.time.Duration.ofSeconds(30);
        return config;
    }

    public static RouteConfig route(String api, String prefix, URI upstream) {
        RouteConfig route = new RouteConfig();
        route.api = api;
        route.pathPrefix = prefix;
        route.upstreams = List.of(upstream);
        Map<String, String> scopes = new LinkedHashMap<>();
        scopes.put("GET", "read");
        scopes.put("HEAD", "read");
        scopes.put("*", "write");
        route.scopes = scopes;
        route.connectTimeout = Duration.seconds(1);
        return route;
    }

    public static GatewayServer start(GatewayConfiguration config) throws Exception {
        GatewayServer server = new GatewayServer(config, new MetricRegistry());
        server.start();
        if (!server.awaitReady(java.time.Duration.ofSeconds(30))) {
            server.stop();
            throw new IllegalStateException("gateway not ready: " + server.healthChecks().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue().execute()).toList());
        }
        return server;
    }

    public static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(2)).build();

    public static HttpResponse<String> get(GatewayServer server, String path, String token, String... headers)
            throws Exception {
        return send(server, "GET", path, token, headers);
    }

    public static HttpResponse<String> send(GatewayServer server, String method, String path, String token,
                                            String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(java.time.Duration.ofSeconds(10))
                .method(method, method.equals("POST") || method.equals("PUT")
                        ? HttpRequest.BodyPublishers.ofString("{\"hello\":1}") : HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
