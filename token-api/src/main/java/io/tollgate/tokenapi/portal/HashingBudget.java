package io.tollgate.tokenapi.portal;

import io.tollgate.tokenapi.config.PortalSettings;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.Pool;

/**
 * The bound on the portal's PBKDF2 work (sign-up, verification, login), taken before any hashing. Per client
 * address: {@code hashesPerClientAddress} per {@code hashWindow} (in Redis, across nodes) and
 * {@code hashesInFlightPerClientAddress} at once on this node, beyond which the answer is 429 with
 * {@code Retry-After}. Per node: {@code maxConcurrentHashes} at once, all addresses together; a request waits at
 * most {@code hashQueueWait} for a slot, then gets 503, so many addresses at once still leave the cores to the
 * token endpoint.
 */
public final class HashingBudget {
    private final FixedWindowLimiter limiter;
    private final int inFlightPerAddress;
    private final Semaphore node;
    private final long queueWaitMillis;
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

    public HashingBudget(Pool<Jedis> pool, PortalSettings settings) {
        this.limiter = new FixedWindowLimiter(pool, settings.hashesPerClientAddress,
                settings.hashWindow.toJavaDuration());
        this.inFlightPerAddress = settings.hashesInFlightPerClientAddress;
        this.node = new Semaphore(settings.maxConcurrentHashes, true);
        this.queueWaitMillis = settings.hashQueueWait.toMilliseconds();
    }

    static String key(String clientAddress) {
        return "tg:portal:hash:ip:" + clientAddress;
    }

    /** A permit to hash for {@code clientAddress}, released by {@link Permit#close()}; or a 429 / 503. */
    public Permit acquire(String clientAddress) {
        boolean[] admitted = {false};
        inFlight.compute(clientAddress, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= inFlightPerAddress) {
                return n;
            }
            admitted[0] = true;
            return now + 1;
        });
        if (!admitted[0]) {
            throw PortalException.tooMany("too_many_requests", "too many requests from this address; retry later", 1);
        }
        boolean nodeSlot = false;
        try {
            long wait = limiter.admit(key(clientAddress));
            if (wait > 0) {
                throw PortalException.tooMany("too_many_requests", "too many requests from this address; retry later",
                        wait);
            }
            nodeSlot = node.tryAcquire(queueWaitMillis, TimeUnit.MILLISECONDS);
            if (!nodeSlot) {
                throw PortalException.busy("the portal is busy; retry shortly", 1);
            }
            return new Permit(clientAddress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw PortalException.unavailable("interrupted");
        } finally {
            if (!nodeSlot) {
                leave(clientAddress);
            }
        }
    }

    private void leave(String clientAddress) {
        inFlight.computeIfPresent(clientAddress, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Held while hashing; closing it frees the node slot and the address's place. */
    public final class Permit implements AutoCloseable {
        private final String clientAddress;
        private boolean closed;

        private Permit(String clientAddress) {
            this.clientAddress = clientAddress;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                node.release();
                leave(clientAddress);
            }
        }
    }
}
