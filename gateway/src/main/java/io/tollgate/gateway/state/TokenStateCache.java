package io.tollgate.gateway.state;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.gateway.core.VerifiedToken;
import io.tollgate.shared.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The token state of the Redis contract (revoked jti and family, client / user / user-client not-before,
 * the user's DENY decision) held in a local cache, so the steady-state hot path makes no Redis round trip.
 * Every writer PUBLISHes the key it changed on {@code tg:invalidate}; a subscriber thread drops that entry
 * ({@code *} drops all). The cache is trusted only while the subscription is live, answers PING and the
 * projection's state is {@code ready}; once that has not been confirmed for longer than the staleness bound,
 * {@link #check} answers UNCONFIRMED (503), never VALID and never REVOKED. Reconnecting empties the cache,
 * since invalidations may have been missed.
 */
public final class TokenStateCache implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(TokenStateCache.class);
    private static final String DENY = "DENY";

    public enum Status { VALID, REVOKED, UNCONFIRMED }

    public record Verdict(Status status, String reason) {
        static final Verdict VALID = new Verdict(Status.VALID, null);
    }

    private final JedisPool pool;
    private final HostAndPort address;
    private final JedisClientConfig subscriberConfig;
    private final long boundNanos;
    /** Redis key to its value; Optional.empty() caches "absent". */
    private final Cache<String, Optional<String>> cache;
    /** Bumped by every invalidation, so a load that raced one is not cached. */
    private final AtomicLong generation = new AtomicLong();
    private final Counter hits;
    private final Counter misses;
    private final Counter invalidations;
    private final Counter unreadyLoads;

    private volatile boolean subscribed;
    private volatile boolean projectionReady;
    private volatile long lastPongNanos;
    private volatile long confirmedAtNanos;
    private volatile boolean running;
    private volatile Subscriber subscriber;
    private Thread subscriberThread;
    private Thread monitorThread;

    public TokenStateCache(JedisPool pool, HostAndPort address, JedisClientConfig subscriberConfig,
                           Duration stalenessBound, long cacheSize, MetricRegistry metrics) {
        this.pool = pool;
        this.address = address;
        this.subscriberConfig = subscriberConfig;
        this.boundNanos = stalenessBound.toNanos();
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize)
                .executor(Runnable::run) // maintenance on the calling thread: no wake-up of a pool thread per read
                .build();
        this.confirmedAtNanos = System.nanoTime() - boundNanos - 1;
        this.hits = metrics.counter("gateway.token-state.cache.hits");
        this.misses = metrics.counter("gateway.token-state.cache.misses");
        this.invalidations = metrics.counter("gateway.token-state.invalidations");
        this.unreadyLoads = metrics.counter("gateway.token-state.unready-loads");
    }

    @Override
    public void start() {
        running = true;
        subscriberThread = new Thread(this::subscribeLoop, "token-state-subscriber");
        subscriberThread.setDaemon(true);
        subscriberThread.start();
        monitorThread = new Thread(this::monitorLoop, "token-state-monitor");
        monitorThread.setDaemon(true);
        monitorThread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        Subscriber s = subscriber;
        if (s != null && s.isSubscribed()) {
            try {
                s.unsubscribe();
            } catch (RuntimeException ignored) {
                // the connection is going away anyway
            }
        }
        monitorThread.interrupt();
        monitorThread.join(2_000);
        subscriberThread.join(2_000);
    }

    /** True while the cache may be trusted: the state was confirmed within the staleness bound. */
    public boolean isConfirmed() {
        return System.nanoTime() - confirmedAtNanos <= boundNanos;
    }

    public boolean isSubscribed() {
        return subscribed;
    }

    public boolean isProjectionReady() {
        return projectionReady;
    }

    /** Like {@link #check} but never touches Redis: null when an entry is not cached. */
    public Verdict checkCached(VerifiedToken token) {
        return check(token, false);
    }

    public Verdict check(VerifiedToken token) {
        return check(token, true);
    }

    private Verdict check(VerifiedToken token, boolean mayLoad) {
        if (!isConfirmed()) {
            return new Verdict(Status.UNCONFIRMED, "token state cannot be confirmed");
        }
        String[] keys = token.stateKeys(); // computed once per verified token
        String[] values = new String[keys.length];
        List<Integer> missing = null;
        for (int i = 0; i < keys.length; i++) {
            Optional<String> cached = cache.getIfPresent(keys[i]);
            if (cached == null) {
                if (missing == null) {
                    missing = new ArrayList<>(keys.length);
                }
                missing.add(i);
            } else {
                values[i] = cached.orElse(null);
            }
        }
        if (missing == null) {
            hits.inc();
        } else {
            if (!mayLoad) {
                return null;
            }
            misses.inc();
            if (!load(keys, values, missing)) {
                return new Verdict(Status.UNCONFIRMED, "token state cannot be confirmed");
            }
        }
        if (values[0] != null) {
            return new Verdict(Status.REVOKED, "the access token was revoked");
        }
        if (values[1] != null) {
            return new Verdict(Status.REVOKED, "the token family was revoked");
        }
        if (revokedBy(values[2], token.issuedAt())) {
            return new Verdict(Status.REVOKED, "the client's tokens were revoked");
        }
        if (revokedBy(values[3], token.issuedAt()) || revokedBy(values[4], token.issuedAt())) {
            return new Verdict(Status.REVOKED, "the user's tokens were revoked");
        }
        if (DENY.equals(values[5])) {
            return new Verdict(Status.REVOKED, "the user is not entitled");
        }
        return Verdict.VALID;
    }

    /** Not-before semantics: issued at or before the revocation's second is revoked; garbage fails closed. */
    private static boolean revokedBy(String notBefore, long issuedAt) {
        if (notBefore == null) {
            return false;
        }
        try {
            return issuedAt <= (long) Double.parseDouble(notBefore.trim());
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Reads the missing keys together with the projection's state, in one pipeline: a Redis that restarted empty
     * within the staleness bound (before the monitor noticed) answers every key "absent", which would read as
     * "not revoked"; only a {@code ready} projection's absence means that.
     */
    private boolean load(String[] keys, String[] values, List<Integer> missing) {
        long before = generation.get();
        try (Jedis jedis = pool.getResource()) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<String>> responses = new ArrayList<>(missing.size());
            for (int i : missing) {
                responses.add(i == 5 ? pipeline.hget(keys[i], "outcome") : pipeline.get(keys[i]));
            }
            Response<String> state = pipeline.hget(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD);
            pipeline.sync();
            if (!RedisKeys.PROJECTION_READY.equals(state.get())) {
                unreadyLoads.inc();
                return false;
            }
            for (int j = 0; j < missing.size(); j++) {
                values[missing.get(j)] = responses.get(j).get();
            }
        } catch (RuntimeException e) {
            return false;
        }
        // An invalidation that arrived while we read may describe a newer value than ours: don't cache then.
        if (generation.get() == before && isConfirmed()) {
            for (int i : missing) {
                cache.put(keys[i], Optional.ofNullable(values[i]));
            }
        }
        return true;
    }

    void invalidate(String message) {
        generation.incrementAndGet();
        invalidations.inc();
        if ("*".equals(message)) {
            cache.invalidateAll();
            return;
        }
        // The contract publishes the full key; accept the bare suffix form too.
        cache.invalidate(message);
        if (!message.startsWith(RedisKeys.PREFIX)) {
            cache.invalidate(RedisKeys.PREFIX + message);
            cache.invalidate(RedisKeys.PREFIX + "rev:" + message);
        }
    }

    private void dropAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    private final class Subscriber extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            dropAll();
            lastPongNanos = System.nanoTime();
            subscribed = true;
            LOG.info("event=token_state.subscribed channel={}", channel);
        }

        @Override
        public void onMessage(String channel, String message) {
            invalidate(message);
        }

        @Override
        public void onPong(String pattern) {
            lastPongNanos = System.nanoTime();
        }
    }

    private void subscribeLoop() {
        while (running) {
            Subscriber s = new Subscriber();
            subscriber = s;
            try (Jedis jedis = new Jedis(address, subscriberConfig)) {
                jedis.subscribe(s, RedisKeys.INVALIDATION_CHANNEL);
            } catch (RuntimeException e) {
                if (running && subscribed) {
                    LOG.warn("event=token_state.subscription_lost error={}", e.getClass().getSimpleName());
                }
            } finally {
                subscribed = false;
                dropAll();
            }
            if (running) {
                sleep(100);
            }
        }
    }

    private void monitorLoop() {
        long interval = Math.max(20, Math.min(250, boundNanos / 4_000_000));
        while (running) {
            long now = System.nanoTime();
            Subscriber s = subscriber;
            boolean live = subscribed && now - lastPongNanos <= boundNanos;
            if (subscribed && s != null) {
                try {
                    s.ping();
                } catch (RuntimeException e) {
                    live = false;
                }
            }
            boolean ready;
            try (Jedis jedis = pool.getResource()) {
                ready = RedisKeys.PROJECTION_READY.equals(
                        jedis.hget(RedisKeys.PROJECTION, RedisKeys.PROJECTION_STATE_FIELD));
            } catch (RuntimeException e) {
                ready = false;
                live = false;
            }
            if (ready && !projectionReady) {
                dropAll(); // a rebuilt projection: nothing cached before it can be trusted
            }
            projectionReady = ready;
            if (live && ready) {
                confirmedAtNanos = now;
            }
            sleep(interval);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long cachedEntries() {
        return cache.estimatedSize();
    }
}
