package io.tollgate.tokenapi.portal;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.time.Duration;

/**
 * Allows {@code limit} attempts per key in fixed windows of {@code window} that start with a key's first attempt,
 * counted in Redis ({@code INCR}, then {@code EXPIRE} on the first): shared by every token-api node, so adding nodes
 * does not multiply the bound.
 */
public final class FixedWindowLimiter {
    private final Pool<Jedis> pool;
    private final int limit;
    private final Duration window;

    public FixedWindowLimiter(Pool<Jedis> pool, int limit, Duration window) {
        this.pool = pool;
        this.limit = limit;
        this.window = window;
    }

    /** Counts one attempt; 0 when it is within the limit, else the seconds until the window ends. */
    long admit(String key) {
        try (Jedis jedis = pool.getResource()) {
            long count = jedis.incr(key);
            long ttl = jedis.ttl(key);
            if (count == 1 || ttl < 0) {
                // A key left without expiry (the EXPIRE after INCR lost to a crash) must not count forever.
                jedis.expire(key, window.toSeconds());
                ttl = window.toSeconds();
            }
            return count <= limit ? 0 : Math.max(1, ttl);
        }
    }
}
