package io.tollgate.gateway;

import io.dropwizard.util.Duration;
import io.tollgate.gateway.testing.GatewayFixture;
import io.tollgate.gateway.testing.Gateways;
import io.tollgate.shared.redis.RedisKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.tollgate.gateway.testing.Gateways.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Losing Redis makes token state unconfirmable: 503 (never 200 past the bound, never 401), then recovery. */
class RedisOutageIT {
    private static final long BOUND_MILLIS = 500;

    @RegisterExtension
    static final GatewayFixture FIXTURE = GatewayFixture.nodes("outage")
            .configure((config, fixture) -> config.tokenState.stalenessBound = Duration.milliseconds(BOUND_MILLIS));

    @Test
    void redisLossGives503AndTheGatewayRecoversByItself() throws Exception {
        String token = FIXTURE.issuer().token("alice", "read");
        assertThat(get(FIXTURE.node(), "/mobile/a", token).statusCode()).isEqualTo(200);

        FIXTURE.redis().server().kill();
        long killed = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        int status;
        do {
            status = get(FIXTURE.node(), "/mobile/a", token).statusCode();
            statuses.add(status);
            if (status == 200) {
                assertThat((System.nanoTime() - killed) / 1_000_000).as("200 only within the staleness bound")
                        .isLessThanOrEqualTo(BOUND_MILLIS);
            }
        } while (status != 503 && System.nanoTime() - killed < 5_000_000_000L);
        assertThat(status).isEqualTo(503);
        // Past the bound: every answer is 503, never a 401 for the gateway's own fault.
        Thread.sleep(BOUND_MILLIS + 100);
        for (int i = 0; i < 5; i++) {
            var response = get(FIXTURE.node(), "/mobile/a", token);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("temporarily_unavailable");
            statuses.add(response.statusCode());
        }
        assertThat(statuses).doesNotContain(401);
        assertThat(FIXTURE.node().healthChecks().get("token-state").execute().isHealthy()).isFalse();

        // Redis comes back empty: the projection is not ready yet, so the state is still unconfirmed.
        FIXTURE.redis().server().start();
        Thread.sleep(BOUND_MILLIS);
        assertThat(get(FIXTURE.node(), "/mobile/a", token).statusCode()).isEqualTo(503);

        // revocation-stream rebuilds the projection and says so; the gateway recovers without a restart.
        try (Jedis jedis = FIXTURE.redis().jedis()) {
            // bob revoked up to a minute from now, so his token issued below falls under it however slow the poll is
            jedis.set(RedisKeys.userNotBefore("bob"), Long.toString(System.currentTimeMillis() / 1000 + 60));
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
        long restored = System.nanoTime();
        do {
            status = get(FIXTURE.node(), "/mobile/a", token).statusCode();
        } while (status != 200 && System.nanoTime() - restored < 10_000_000_000L);
        assertThat(status).isEqualTo(200);
        // state written while the gateway was cut off is honoured (nothing stale survived the reconnect)
        assertThat(get(FIXTURE.node(), "/mobile/a", FIXTURE.issuer().token("bob", "read")).statusCode()).isEqualTo(401);
        assertThat(FIXTURE.node().healthChecks().get("token-state").execute().isHealthy()).isTrue();
    }

    /**
     * Redis killed and restarted empty WITHIN the staleness bound, before the monitor saw it go: the cache is
     * dropped with the subscription, so the next check reads the empty Redis and finds no revocation. Reads carry
     * the projection's state and fail closed: the revoked token is never admitted.
     */
    @Test
    void aRedisRestartedEmptyWithinTheBoundNeverAdmitsARevokedToken() throws Exception {
        if (!FIXTURE.redis().server().isRunning()) {
            FIXTURE.redis().server().start();
        }
        Gateways.markProjectionReady(FIXTURE.redis());
        try (Jedis jedis = FIXTURE.redis().jedis()) {
            jedis.set(RedisKeys.userNotBefore("mallory"), Long.toString(System.currentTimeMillis() / 1000 + 60));
        }
        GatewayConfiguration config = Gateways.config("outage-patient", FIXTURE.kafka(), FIXTURE.redis(),
                FIXTURE.issuer(), FIXTURE.upstream().uri());
        config.tokenState.stalenessBound = Duration.seconds(30); // the whole check runs inside the bound
        GatewayServer patient = Gateways.start(config);
        try {
            String revoked = FIXTURE.issuer().token("mallory", "read");
            String valid = FIXTURE.issuer().token("carol", "read");
            assertThat(get(patient, "/mobile/a", revoked).statusCode()).isEqualTo(401);
            assertThat(get(patient, "/mobile/a", valid).statusCode()).isEqualTo(200);

            FIXTURE.redis().server().kill();
            FIXTURE.redis().server().start(); // empty: no persistence
            Map<Integer, Integer> revokedAnswers = new TreeMap<>();
            Map<Integer, Integer> validAnswers = new TreeMap<>();
            long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) {
                revokedAnswers.merge(get(patient, "/mobile/a", revoked).statusCode(), 1, Integer::sum);
                validAnswers.merge(get(patient, "/mobile/a", valid).statusCode(), 1, Integer::sum);
            }
            assertThat(revokedAnswers).as("the revoked token against an empty Redis").doesNotContainKey(200);
            assertThat(validAnswers).as("a state nobody can confirm is 503, never 401").containsKey(503)
                    .doesNotContainKey(401);
        } finally {
            patient.stop();
            Gateways.markProjectionReady(FIXTURE.redis());
            long deadline = System.nanoTime() + 10_000_000_000L; // leave the class's gateway confirmed again
            while (!FIXTURE.node().healthChecks().get("token-state").execute().isHealthy()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
    }
}
