package io.tollgate.gateway.config;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.tollgate.gateway.state.TokenStateCache;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import io.tollgate.shared.redis.RedisEndpoint;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

import java.util.concurrent.TimeUnit;

/** The local cache of Redis token state and how stale it may get before the gateway answers 503. */
public class TokenStateFactory {

    /** Longest time the gateway trusts its cache without a live subscription and a ready projection. */
    @NotNull
    public Duration stalenessBound = Duration.seconds(2);

    /**
     * Longest time a cached value is served after the Redis read that produced it began; then it is read again.
     * The backstop for a lost invalidation message: a revocation is enforced within this bound even without one.
     * At most an hour, so a misconfiguration cannot turn the backstop off.
     */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    public Duration maxEntryAge = Duration.seconds(30);

    @Min(1)
    public long cacheSize = 200_000;

    /**
     * The cache, reading through {@code pool}; its invalidation subscription connects to the primary that
     * {@code endpoint} names at each (re)subscription.
     */
    public TokenStateCache build(Pool<Jedis> pool, RedisEndpoint endpoint, MetricRegistry metrics) {
        return new TokenStateCache(pool, endpoint, stalenessBound.toJavaDuration(), maxEntryAge.toJavaDuration(),
                cacheSize, metrics);
    }
}
