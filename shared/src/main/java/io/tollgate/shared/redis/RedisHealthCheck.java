package io.tollgate.shared.redis;

import com.codahale.metrics.health.HealthCheck;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

/** Healthy when Redis answers PING. */
public class RedisHealthCheck extends HealthCheck {
    private final Pool<Jedis> pool;

    public RedisHealthCheck(Pool<Jedis> pool) {
        this.pool = pool;
    }

    @Override
    protected Result check() {
        try (Jedis jedis = pool.getResource()) {
            String pong = jedis.ping();
            return "PONG".equals(pong) ? Result.healthy() : Result.unhealthy("unexpected PING answer");
        } catch (RuntimeException e) {
            return Result.unhealthy("Redis unreachable: " + e.getClass().getSimpleName());
        }
    }
}
