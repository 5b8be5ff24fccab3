package io.tollgate.tokenapi;

import io.tollgate.shared.redis.RedisKeys;
import io.tollgate.testkit.RedisExtension;

import redis.clients.jedis.Jedis;

/**
 * What the ITs do in place of revocation-stream, which they do not run. token-api itself is booted for them by
 * {@link TokenApiTestStack}.
 */
public final class TestApps {
    private TestApps() {
    }

    /**
     * Marks revocation-stream's projection {@code ready} in {@code redis}, as the rebuild does once Redis holds every
     * fact: token-api answers 503 for token state it cannot confirm until then, and these tests run no
     * revocation-stream. Call it after every flush.
     */
    public static void projectionReady(RedisExtension redis) {
        try (Jedis jedis = redis.jedis()) {
            jedis.hset(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD, RedisKeys.PROJECTION_READY);
        }
    }
}
