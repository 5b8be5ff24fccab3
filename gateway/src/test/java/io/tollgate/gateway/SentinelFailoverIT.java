package io.tollgate.gateway;

import io.tollgate.gateway.testing.Gateways;
import io.tollgate.gateway.testing.RecordingUpstream;
import io.tollgate.gateway.testing.TestIssuer;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.KafkaExtension;
import io.tollgate.testkit.RedisSentinelGroup;
import io.tollgate.testkit.RedisServer;
import io.tollgate.testkit.SilentListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static io.tollgate.gateway.testing.Gateways.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway configured with Sentinels follows the primary through a failover: the rate limiter (its event-loop
 * client), the token-state subscriber and its pool reconnect to the promoted replica, whether the old primary was
 * demoted ({@code SENTINEL FAILOVER}: it answers writes with {@code -READONLY}), cut off (SIGSTOP: its connections
 * stay open and answer nothing) or killed. The first Sentinel
 * configured never answers (its host cut off): the gateway still serves, and follows the failovers.
 */
class SentinelFailoverIT {
    @RegisterExtension
    static final KafkaExtension KAFKA = KafkaExtension.shared();

    private static RedisSentinelGroup redis;
    private static SilentListener cutSentinel;
    private static TestIssuer issuer;
    private static RecordingUpstream upstream;
    private static GatewayServer gateway;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisSentinelGroup.start(null);
        issuer = new TestIssuer();
        upstream = new RecordingUpstream();
        Gateways.publishRegistry(KAFKA);
        try (Jedis jedis = redis.primary().jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
        GatewayConfiguration config = Gateways.config("sentinel", KAFKA, issuer, upstream.uri());
        config.redis.host = null; // not the default standalone host
        config.redis.sentinel.masterName = RedisSentinelGroup.MASTER_NAME;
        cutSentinel = SilentListener.blackHole();
        List<String> nodes = new ArrayList<>();
        nodes.add(cutSentinel.host() + ":" + cutSentinel.port());
        nodes.addAll(redis.sentinelNodes());
        config.redis.sentinel.nodes = nodes;
        gateway = Gateways.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (issuer != null) {
            issuer.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (cutSentinel != null) {
            cutSentinel.close();
        }
    }

    @Test
    void rateLimitsAndTokenStateFollowTheFailoversOfThePrimary() throws Exception {
        String alice = issuer.token("alice", "read");
        assertAdmittedAndCounted(get(gateway, "/mobile/a", alice));

        RedisServer demoted = redis.primary();
        RedisServer promoted = redis.failover();
        assertThat(promoted.port()).isNotEqualTo(demoted.port());
        assertAdmittedAndCounted(awaitAdmitted(alice));
        assertRevocationOnPrimaryIsHonoured(promoted, "bob");

        RedisServer paused = redis.primary();
        RedisServer promotedAgain = redis.pausePrimary();
        assertThat(promotedAgain.port()).isEqualTo(demoted.port());
        assertAdmittedAndCounted(awaitAdmitted(alice));
        assertRevocationOnPrimaryIsHonoured(promotedAgain, "dave");
        redis.resumeAsReplica(paused);

        RedisServer killed = redis.primary();
        RedisServer survivor = redis.killPrimary();
        assertThat(survivor.port()).isEqualTo(paused.port());
        assertAdmittedAndCounted(awaitAdmitted(alice));
        assertRevocationOnPrimaryIsHonoured(survivor, "carol");
        assertThat(killed.isRunning()).isFalse();
    }

    private static void assertAdmittedAndCounted(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("RateLimit")).as("a quota read from the primary").isPresent();
    }

    /** A user's token admitted, revoked on the primary with its announcement: refused once the gateway hears it. */
    private static void assertRevocationOnPrimaryIsHonoured(RedisServer primary, String user) throws Exception {
        String token = issuer.token(user, "read");
        assertThat(awaitAdmitted(token).statusCode()).isEqualTo(200);
        String key = RedisKeys.userNotBefore(user);
        try (Jedis jedis = primary.jedis()) {
            jedis.set(key, Long.toString(System.currentTimeMillis() / 1000 + 60));
            jedis.publish(RedisKeys.INVALIDATION_CHANNEL, key);
        }
        int status = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (status != 401 && System.nanoTime() < deadline) {
            status = get(gateway, "/mobile/a", token).statusCode();
        }
        assertThat(status).as(user + "'s revocation, written on the new primary").isEqualTo(401);
    }

    private static HttpResponse<String> awaitAdmitted(String token) throws Exception {
        HttpResponse<String> response = get(gateway, "/mobile/a", token);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            assertThat(response.statusCode()).as("a failover is a 503, never a 401").isEqualTo(503);
            Thread.sleep(50);
            response = get(gateway, "/mobile/a", token);
        }
        return response;
    }
}
