package io.tollgate.gateway;

import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.tollgate.gateway.testing.Gateways.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Three gateway nodes sharing one Redis admit exactly the plan's limit under concurrent 2x load. */
class RateLimitIT {
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
            assertThat(upstream.count()).isEqualTo(limit * users.length);
            for (String user : users) {
                assertThat(upstream.received().stream()
                        .filter(r -> user.equals(r.header("x-authenticated-userid"))).count()).isEqualTo(limit);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
