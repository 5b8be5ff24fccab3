package io.tollgate.revocation.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retries a Redis write with exponential backoff while Redis is unreachable: the projection pauses
 * instead of dropping the record or crash-looping. After {@code budget} the failure is rethrown so the
 * Streams task restarts from its last committed offset (the writes are idempotent, so nothing doubles);
 * the budget stays below the transaction timeout so the task is never fenced while it waits.
 */
public final class RedisRetry {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRetry.class);
    private static final long MAX_BACKOFF_MS = 2_000;

    private final Duration budget;
    private final AtomicLong failures = new AtomicLong();

    public RedisRetry(Duration budget) {
        this.budget = budget;
    }

    public <T> T call(java.util.function.Supplier<T> write) {
        long deadline = System.nanoTime() + budget.toNanos();
        long backoff = 50;
        while (true) {
            try {
                return write.get();
            } catch (JedisException e) {
                failures.incrementAndGet();
                if (System.nanoTime() > deadline) {
                    LOG.error("event=projection.redis_unavailable action=give_up budget={} error=\"{}\"", budget,
                            e.getMessage());
                    throw e;
                }
                LOG.warn("event=projection.redis_unavailable action=retry backoffMs={} error=\"{}\"", backoff,
                        e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /** Redis write failures seen so far (a metric). */
    public long failures() {
        return failures.get();
    }
}
