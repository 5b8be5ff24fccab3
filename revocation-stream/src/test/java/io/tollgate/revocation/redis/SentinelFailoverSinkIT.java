package io.tollgate.revocation.redis;

import io.tollgate.revocation.core.RedisRetry;
import io.tollgate.shared.redis.RedisFactory;
import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.RedisSentinelGroup;
import io.tollgate.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection's writes follow the primary through failovers when the settings name Sentinels: the pool
 * ({@code JedisSentinelPool}) moves to the promoted replica, and the writes retried meanwhile (as the projection
 * retries them) land there, after a {@code SENTINEL FAILOVER} (the old primary demoted) and after the primary is
 * killed.
 */
class SentinelFailoverSinkIT {
    private static RedisSentinelGroup redis;
    private static Pool<Jedis> pool;

    @BeforeAll
    static void start() {
        redis = RedisSentinelGroup.start(null);
        RedisFactory settings = new RedisFactory();
        settings.host = null; // not the default standalone host
        settings.sentinel.masterName = RedisSentinelGroup.MASTER_NAME;
        settings.sentinel.nodes = redis.sentinelNodes();
        pool = settings.buildPool();
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void revocationsAreWrittenToWhicheverNodeIsPrimary() {
        JedisRedisSink sink = new JedisRedisSink(pool);
        RedisRetry retry = new RedisRetry(Duration.ofSeconds(60));
        long expireAt = System.currentTimeMillis() / 1000 + 3_600;

        assertThat(retry.call(() -> sink.notBefore(RedisKeys.userNotBefore("alice"), 100, expireAt))).isTrue();
        assertThat(value(redis.primary(), "alice")).isEqualTo("100");

        RedisServer promoted = redis.failover();
        assertThat(retry.call(() -> sink.notBefore(RedisKeys.userNotBefore("bob"), 200, expireAt))).isTrue();
        assertThat(value(promoted, "bob")).as("written on the promoted replica").isEqualTo("200");
        assertThat(value(promoted, "alice")).as("replicated before the failover").isEqualTo("100");

        RedisServer survivor = redis.killPrimary();
        assertThat(survivor.port()).isNotEqualTo(promoted.port());
        assertThat(retry.call(() -> sink.notBefore(RedisKeys.userNotBefore("carol"), 300, expireAt))).isTrue();
        assertThat(value(survivor, "carol")).as("written on the primary after the kill").isEqualTo("300");
    }

    private static String value(RedisServer node, String user) {
        try (Jedis jedis = node.jedis()) {
            return jedis.get(RedisKeys.userNotBefore(user));
        }
    }
}
