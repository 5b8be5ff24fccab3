package io.tollgate.gateway;

import io.tollgate.gateway.testing.GatewayFixture;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.tollgate.gateway.testing.Gateways.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three gateway nodes sharing one Redis admit exactly the plan's limit under concurrent 2x load: per (subscription,
 * user), and for an application's users together (app-wide limit per minute); an application's two APIs on two
 * plans keep their windows apart.
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

    /** An application on two APIs: {@code mobile} on a plan of 3 calls a minute per user, {@code ledger} on 600. */
    static final String TWO_API_CLIENT = "two-api-app";
    static final PlanRecord NARROW_PLAN = new PlanRecord("narrow", "mobile", "Narrow", Set.of("read"), 3, 0, 0, 3,
            false, DemoRegistry.GRANT_TYPES);
    static final PlanRecord WIDE_PLAN = new PlanRecord("wide", "ledger", "Wide", Set.of("read"), 600, 0, 0, 3, false,
            DemoRegistry.GRANT_TYPES);
    static final ApplicationRecord TWO_API_APPLICATION = new ApplicationRecord("two-api-application", TWO_API_CLIENT,
            "Two APIs", ApplicationRecord.ClientType.PUBLIC, null, "two@example.test",
                    Instant.parse("2026-01-01T00:00:00Z"));

    @RegisterExtension
    static final GatewayFixture FIXTURE = GatewayFixture.nodes("rl-1", "rl-2", "rl-3")
            .beforeNodes(fixture -> fixture.publish(List.of(TEAM_PLAN, TEAM_APPLICATION, TEAM_SUBSCRIPTION,
                    NARROW_PLAN, WIDE_PLAN, TWO_API_APPLICATION,
                    new SubscriptionRecord("sub-two-api-mobile", "two-api-application", TWO_API_CLIENT, "mobile",
                            "narrow", SubscriptionRecord.Status.APPROVED, Instant.parse("2026-01-01T00:00:00Z")),
                    new SubscriptionRecord("sub-two-api-ledger", "two-api-application", TWO_API_CLIENT, "ledger",
                            "wide", SubscriptionRecord.Status.APPROVED, Instant.parse("2026-01-01T00:00:00Z")),
                    new ApiRecord("ledger", "/ledger/", List.of(fixture.upstream().uri().toString()),
                            Map.of("GET", "read"), null, false, false))));

    @Test
    void threeNodesAdmitExactlyTheLimit() throws Exception {
        GatewayIT.awayFromMinuteBoundary();
        int limit = 60; // plan basic: 60 calls per minute per (client, user)
        String[] users = {"carla", "dan"};
        long before = FIXTURE.upstream().count();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 2 * limit; i++) {
                for (String user : users) {
                    String token = FIXTURE.issuer().token(user, "read");
                    GatewayServer node = FIXTURE.nodes().get(i % 3);
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
            assertThat(FIXTURE.upstream().count() - before).isEqualTo(limit * users.length);
            for (String user : users) {
                assertThat(FIXTURE.upstream().received().stream()
                        .filter(r -> user.equals(r.header("x-authenticated-userid"))).count()).isEqualTo(limit);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachApiOfAnApplicationKeepsItsOwnPlansWindows() throws Exception {
        GatewayIT.awayFromMinuteBoundary();
        String token = FIXTURE.issuer().sign(TestIssuer.claims("ines", "read").claim("client_id", TWO_API_CLIENT)
                .audience(List.of("mobile", "ledger")).build());
        GatewayServer node = FIXTURE.nodes().get(0);
        awaitRouted(node, "/ledger/warm-up", token);
        for (int i = 0; i < 5; i++) {
            assertThat(get(node, "/ledger/entries/" + i, token).statusCode()).as("ledger call %d", i).isEqualTo(200);
        }
        // the ledger's calls spent nothing of the mobile plan's 3 a minute
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = get(FIXTURE.nodes().get(i % 3), "/mobile/items/" + i, token);
            assertThat(answer.statusCode()).as("mobile call %d: %s", i, answer.body()).isEqualTo(200);
        }
        HttpResponse<String> fourth = get(node, "/mobile/items/3", token);
        assertThat(fourth.statusCode()).isEqualTo(429);
        assertThat(fourth.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"minute\";r=0;");
        assertThat(get(node, "/ledger/entries/after", token).statusCode()).as("the ledger's own window").isEqualTo(200);
    }

    /** Waits until the registry's {@code ledger} API is routed on {@code node} (one call admitted). */
    private static void awaitRouted(GatewayServer node, String path, String token) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (get(node, path, token).statusCode() != 200) {
            assertThat(System.nanoTime()).as("the ledger API is routed within 20 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void threeNodesAdmitExactlyTheAppWideLimitOverAllUsers() throws Exception {
        GatewayIT.awayFromMinuteBoundary();
        int limit = 40; // plan team: 40 calls per minute for the whole application
        String[] users = {"erin", "farid", "gus", "hana"};
        long before = FIXTURE.upstream().count();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < 2 * limit; i++) {
                String user = users[i % users.length];
                String token = FIXTURE.issuer().sign(TestIssuer.claims(user, "read").claim("client_id",
                        TEAM_CLIENT).build());
                GatewayServer node = FIXTURE.nodes().get(i % 3);
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
            assertThat(FIXTURE.upstream().count() - before).isEqualTo(limit);
        } finally {
            pool.shutdownNow();
        }
    }
}
