package io.tollgate.gateway;

import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.EventData;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.topics.Topics;
import io.tollgate.shared.testing.KafkaExtension;
import io.tollgate.shared.testing.RedisExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.tollgate.gateway.testing.Gateways.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three gateway nodes sharing one Redis admit exactly the plan's limit under concurrent 2x load: per (client, user),
 * and for an application's users together (app-wide limit per minute).
 */
class RateLimitIT {
    /** An application whose plan limits all its users together to 40 calls a minute (each user alone to 600). */
    static final String TEAM_CLIENT = "team-app";
    static final PlanRecord TEAM_PLAN = new PlanRecord("team", "mobile", "Team", Set.of("read"), 600, 0, 0, 3, false,
            DemoRegistry.GRANT_TYPES, 0, 0, 40, 0, null);
    static final ApplicationRecord TEAM_APPLICATION = new ApplicationRecord("team-application", TEAM_CLIENT, "Team",
            ApplicationRecord.ClientType.PUBLIC, null, "team@example.test", Instant.parse("2026-01-01T00:00:00Z"));
    static final SubscriptionRecord TEAM_SUBSCRIPTION = new SubscriptionRecord("sub-team-mobile", "team-application",
            TEAM_CLIENT, "mobile", TEAM_PLAN.planId(), SubscriptionRecord.Status.APPROVED,
            Instant.parse("2026-01-01T00:00:00Z"));

    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static TestIssuer issuer;
    private static RecordingUpstream upstream;
    private static final List<GatewayServer> NODES = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        upstream = new RecordingUpstream();
        Gateways.prepare(KAFKA, REDIS);
        try (var producer = KAFKA.producer(Topics.REGISTRY)) {
            URI source = URI.create("/tollgate/test/rate-limit-it");
            for (EventData data : List.<EventData>of(TEAM_PLAN, TEAM_APPLICATION, TEAM_SUBSCRIPTION)) {
                producer.send(new ProducerRecord<>(Topics.REGISTRY.name(), data.subject(), Event.of(source, data)))
                        .get();
            }
        }
        for (int i = 1; i <= 3; i++) {
            NODES.add(Gateways.start(Gateways.config("rl-" + i, KAFKA, REDIS, issuer, upstream.uri())));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatewayServer node : NODES) {
            node.stop();
        }
        upstream.close();
        issuer.close();
    }

    @Test
    void threeNodesAdmitExactlyTheLimit() throws Exception {
        GatewayIT.awayFromMinuteBoundary();
        int limit = 60; // plan basic: 60 calls per minute per (client, user)
        String[] users = {"carla", "dan"};
        long before = upstream.count();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 2 * limit; i++) {
                for (String user : users) {
                    String token = issuer.token(user, "read");
                    GatewayServer node = NODES.get(i % 3);
                    results.add(pool.submit(() -> get(node, "/mobile/a", token).statusCode()));
                }
            }
            int admitted = 0;
            int limited = 0;
            java.util.Map<Integer, Integer> histogram = new java.util.TreeMap<>();
            for (Future<Integer> result : results) {
                int status = result.get();
                histogram.merge(status, 1, Integer::sum);
                if (status == 200) {
                    admitted++;
                } else if (status == 429) {
                    limited++;
                }
            }
            assertThat(admitted).as("statuses %s", histogram).isEqualTo(limit * users.length);
            assertThat(limited).isEqualTo(limit * users.length);
            assertThat(upstream.count() - before).isEqualTo(limit * users.length);
            for (String user : users) {
                assertThat(upstream.received().stream()
                        .filter(r -> user.equals(r.header("x-authenticated-userid"))).count()).isEqualTo(limit);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void threeNodesAdmitExactlyTheAppWideLimitOverAllUsers() throws Exception {
        GatewayIT.awayFromMinuteBoundary();
        int limit = 40; // plan team: 40 calls per minute for the whole application
        String[] users = {"erin", "farid", "gus", "hana"};
        long before = upstream.count();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < 2 * limit; i++) {
                String user = users[i % users.length];
                String token = issuer.sign(TestIssuer.claims(user, "read").claim("client_id", TEAM_CLIENT).build());
                GatewayServer node = NODES.get(i % 3);
                results.add(pool.submit(() -> get(node, "/mobile/a", token)));
            }
            int admitted = 0;
            java.util.Map<Integer, Integer> histogram = new java.util.TreeMap<>();
            for (Future<HttpResponse<String>> result : results) {
                HttpResponse<String> response = result.get();
                histogram.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 200) {
                    admitted++;
                } else if (response.statusCode() == 429) {
                    assertThat(response.body()).contains("\"error\":\"rate_limited\"");
                    assertThat(response.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"app-minute\";r=0;t=");
                    assertThat(response.headers().firstValue("Retry-After")).isPresent();
                }
            }
            assertThat(admitted).as("statuses %s", histogram).isEqualTo(limit);
            assertThat(histogram.get(429)).as("statuses %s", histogram).isEqualTo(limit);
            assertThat(upstream.count() - before).isEqualTo(limit);
        } finally {
            pool.shutdownNow();
        }
    }
}
