package io.tollgate.gateway;

import io.tollgate.gateway.config.RouteConfig;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import io.tollgate.shared.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes from the registry, live, on two gateway nodes against one real broker and one real Redis: an API whose
 * record lands is served by both within 5 s, a changed record moves its traffic, and a tombstone makes
 * its prefix 404 {@code unknown_api} again. A static route of the same name gives way to the registry's while the
 * registry defines the API.
 */
class LiveRoutesIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    /** The required bound: a new API is served by every node within 5 s of its record. */
    private static final Duration WITHIN = Duration.ofSeconds(5);
    /** A name no other test class uses: the broker, and so the registry, is shared by the JVM's test classes. */
    private static final String API = "live-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private static final String PREFIX = "/" + API + "/";
    private static final String STATIC_PREFIX = "/" + API + "-static/";
    private static final PlanRecord PLAN = new PlanRecord(API + "-plan", API, "Live", Set.of("read"), 600, 0, 0, 10,
            false, DemoRegistry.GRANT_TYPES);
    private static final SubscriptionRecord SUBSCRIPTION = new SubscriptionRecord("sub-demo-mobile-app-" + API,
            DemoRegistry.APPLICATION_ID, DemoRegistry.CLIENT_ID, API, PLAN.planId(), SubscriptionRecord.Status.APPROVED,
            Instant.parse("2026-01-01T00:00:00Z"));

    private static TestIssuer issuer;
    private static RecordingUpstream first;
    private static RecordingUpstream second;
    private static RecordingUpstream staticUpstream;
    private static final List<GatewayServer> gateways = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        first = new RecordingUpstream();
        second = new RecordingUpstream();
        staticUpstream = new RecordingUpstream();
        Gateways.prepare(KAFKA, REDIS);
        publish(PLAN);
        publish(SUBSCRIPTION);
        for (String node : List.of("live-1", "live-2")) {
            GatewayConfiguration config = Gateways.config(node, KAFKA, REDIS, issuer, first.uri());
            List<RouteConfig> routes = new ArrayList<>(config.routes);
            routes.add(Gateways.route(API, STATIC_PREFIX, staticUpstream.uri()));
            config.routes = routes;
            gateways.add(Gateways.start(config));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatewayServer gateway : gateways) {
            gateway.stop();
        }
        tombstone(ApiRecord.key(API));
        tombstone(SUBSCRIPTION.subject());
        tombstone(PLAN.subject());
        first.close();
        second.close();
        staticUpstream.close();
        issuer.close();
    }

    private static void publish(EventData data) throws Exception {
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REGISTRY)) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), data.subject(),
                    Event.of(URI.create("/tollgate/test/live-routes"), data))).get();
        }
    }

    private static void tombstone(String key) throws Exception {
        try (Producer<String, Event<?>> producer = KAFKA.producer(Topics.REGISTRY)) {
            producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), key, null)).get();
        }
    }

    private static ApiRecord api(URI upstream, boolean stripPrefix) {
        return new ApiRecord(API, PREFIX, List.of(upstream.toString()), Map.of("GET", "read", "*", "write"), null,
                stripPrefix, false);
    }

    private static String token() {
        return issuer.sign(TestIssuer.claims("live-user", "read").audience(List.of(API)).build());
    }

    /**
     * Sends {@code GET path} to {@code gateway} until {@code done} holds for the answer (or the deadline passes) and
     * returns the last answer and how long it took from {@code since}.
     */
    private static Timed until(GatewayServer gateway, String path, Predicate<HttpResponse<String>> done, long since)
            throws Exception {
        long deadline = since + WITHIN.toNanos() + Duration.ofSeconds(10).toNanos(); // keep polling past the bound
        HttpResponse<String> response = Gateways.get(gateway, path, token());
        while (!done.test(response) && System.nanoTime() < deadline) {
            Thread.sleep(25);
            response = Gateways.get(gateway, path, token());
        }
        return new Timed(response, Duration.ofNanos(System.nanoTime() - since));
    }

    private record Timed(HttpResponse<String> response, Duration after) {
    }

    private static boolean unknownApi(HttpResponse<String> response) {
        return response.statusCode() == 404 && response.body().contains("\"error\":\"unknown_api\"");
    }

    @Test
    void anApiIsServedOnEveryNodeWhenItsRecordLandsFollowsItsChangesAndIsGoneWithItsTombstone() throws Exception {
        for (GatewayServer gateway : gateways) {
            HttpResponse<String> before = Gateways.get(gateway, PREFIX + "items", token());
            assertThat(before.statusCode()).isEqualTo(404);
            assertThat(before.body()).contains("\"error\":\"unknown_api\"");
            assertThat(before.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(Gateways.get(gateway, STATIC_PREFIX + "items", token()).statusCode()).isEqualTo(200);
        }
        assertThat(first.count()).isZero();
        assertThat(staticUpstream.count()).isEqualTo(2);

        // added: both nodes serve it, proxied to its upstream, within 5 s of the acknowledged record
        long published = System.nanoTime();
        publish(api(first.uri(), false));
        for (GatewayServer gateway : gateways) {
            Timed served = until(gateway, PREFIX + "items/1", r -> r.statusCode() == 200, published);
            System.out.printf("live routes: %s served by the gateway on port %d after %d ms%n", API, gateway.port(),
                    served.after().toMillis());
            assertThat(served.response().statusCode()).isEqualTo(200);
            assertThat(served.after()).isLessThanOrEqualTo(WITHIN);
        }
        assertThat(first.last().uri()).isEqualTo(PREFIX + "items/1");
        assertThat(first.last().header("x-apiplan")).isEqualTo(PLAN.planId());
        assertThat(first.last().header("x-consumer-username")).isEqualTo(DemoRegistry.APPLICATION_ID + "$" + API);
        // the registry's API replaces the static route of the same name: its prefix is no longer routed
        staticUpstream.clear();
        for (GatewayServer gateway : gateways) {
            assertThat(unknownApi(Gateways.get(gateway, STATIC_PREFIX + "items", token()))).isTrue();
        }
        assertThat(staticUpstream.count()).isZero();

        // changed: the traffic moves to the new upstream, with the prefix now stripped
        long changed = System.nanoTime();
        publish(api(second.uri(), true));
        for (GatewayServer gateway : gateways) {
            Timed moved = until(gateway, PREFIX + "items/2", r -> r.statusCode() == 200 && second.count() > 0
                    && "/items/2".equals(second.last().uri()), changed);
            assertThat(moved.response().statusCode()).isEqualTo(200);
            assertThat(second.last().uri()).isEqualTo("/items/2");
            assertThat(moved.after()).isLessThanOrEqualTo(WITHIN);
            second.clear();
        }
        first.clear();
        for (GatewayServer gateway : gateways) {
            assertThat(Gateways.get(gateway, PREFIX + "items/3", token()).statusCode()).isEqualTo(200);
        }
        assertThat(first.count()).isZero();
        assertThat(second.count()).isEqualTo(2);

        // removed: 404 unknown_api on both nodes, nothing reaches the upstream; the static route is back
        long removed = System.nanoTime();
        tombstone(ApiRecord.key(API));
        second.clear();
        for (GatewayServer gateway : gateways) {
            Timed gone = until(gateway, PREFIX + "items/4", LiveRoutesIT::unknownApi, removed);
            System.out.printf("live routes: %s gone from the gateway on port %d after %d ms%n", API, gateway.port(),
                    gone.after().toMillis());
            assertThat(unknownApi(gone.response())).isTrue();
            assertThat(gone.after()).isLessThanOrEqualTo(WITHIN);
        }
        int reached = second.count();
        for (GatewayServer gateway : gateways) {
            assertThat(unknownApi(Gateways.get(gateway, PREFIX + "items/5", token()))).isTrue();
            assertThat(Gateways.get(gateway, STATIC_PREFIX + "items", token()).statusCode()).isEqualTo(200);
        }
        assertThat(second.count()).isEqualTo(reached); // the 404s never reached it
        assertThat(second.received()).noneMatch(r -> r.uri().endsWith("/items/5"));
    }
}
