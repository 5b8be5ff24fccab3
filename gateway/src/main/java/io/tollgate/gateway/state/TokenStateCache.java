package io.tollgate.gateway.state;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.gateway.core.VerifiedToken;
import io.tollgate.shared.redis.RedisEndpoint;
import io.tollgate.shared.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.util.Pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The token state of the Redis contract (revoked jti and family, client / user / user-client not-before,
 * the user's DENY decision) held in a local cache, so the steady-state hot path makes no Redis round trip.
 * Every writer PUBLISHes the key it changed on {@code tg:invalidate}; a subscriber thread drops that entry
 * ({@code *} drops all). The cache is trusted only while the subscription is live, answers PING and the
 * projection's state is {@code ready}; once that has not been confirmed for longer than the staleness bound,
 * {@link #check} answers UNCONFIRMED (503), never VALID and never REVOKED. Reconnecting empties the cache,
 * since invalidations may have been missed.
 *
 * <p>A load captures the invalidation stamps of its keys BEFORE it reads Redis, and a cached value is served only
 * while those stamps are current ({@link StampedCache}): a load that raced an invalidation, a {@code *} or a
 * re-subscription is never served, whenever its insert lands. As a backstop against a lost message, no value is
 * served longer than {@code maxEntryAge} after the read that produced it began; an older one is read again, and
 * when that read fails the answer is UNCONFIRMED like any other miss.
 */
public final class TokenStateCache implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(TokenStateCache.class);
    private static final String DENY = "DENY";

    public enum Status { VALID, REVOKED, UNCONFIRMED }

    public record Verdict(Status status, String reason) {
        static final Verdict VALID = new Verdict(Status.VALID, null);
    }

    private final Pool<Jedis> pool;
    private final RedisEndpoint endpoint;
    private final long boundNanos;
    /** Redis key to its value (null: absent), with the stamps of the read that produced it. */
    private final StampedCache cache;
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
    /** The connection of the current subscription attempt; null between attempts. */
    private volatile Jedis subscription;
    private Thread subscriberThread;
    private Thread monitorThread;
    /** Test seam: runs on the loading thread after a load's Redis read, before its values are cached. */
    private volatile Runnable afterRedisRead;

    /** @param endpoint where the subscriber connects: the primary as named at each (re)subscription */
    public TokenStateCache(Pool<Jedis> pool, RedisEndpoint endpoint, Duration stalenessBound, Duration maxEntryAge,
                           long cacheSize, MetricRegistry metrics) {
        this.pool = pool;
        this.endpoint = endpoint;
        this.boundNanos = stalenessBound.toNanos();
        this.cache = new StampedCache(cacheSize, maxEntryAge.toNanos());
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
        long now = System.nanoTime();
        if (now - confirmedAtNanos > boundNanos) {
            return new Verdict(Status.UNCONFIRMED, "token state cannot be confirmed");
        }
        String[] keys = token.stateKeys(); // computed once per verified token
        if (token.stateMemo() instanceof Memo memo && cache.servable(keys, memo.entries(), now)) {
            hits.inc(); // the entries the verdict was derived from may all still be served: so may the verdict
            return memo.verdict();
        }
        StampedCache.Entry[] entries = new StampedCache.Entry[keys.length];
        String[] values = new String[keys.length];
        List<Integer> missing = null;
        for (int i = 0; i < keys.length; i++) {
            StampedCache.Entry cached = cache.get(keys[i], now);
            if (cached == null) {
                if (missing == null) {
                    missing = new ArrayList<>(keys.length);
                }
                missing.add(i);
            } else {
                entries[i] = cached;
                values[i] = cached.value();
            }
        }
        if (missing == null) {
            hits.inc();
            Verdict verdict = verdict(token, values);
            token.stateMemo(new Memo(entries, verdict));
            return verdict;
        }
        if (!mayLoad) {
            return null;
        }
        misses.inc();
        if (!load(keys, values, missing)) {
            return new Verdict(Status.UNCONFIRMED, "token state cannot be confirmed");
        }
        return verdict(token, values);
    }

    /**
     * A token's verdict and the cache entries of its state keys it was derived from: served again, without a cache
     * lookup, for as long as every one of those entries may itself still be served ({@link StampedCache#servable}).
     */
    private record Memo(StampedCache.Entry[] entries, Verdict verdict) {
    }

    /** The verdict on the token from the values of its state keys ({@link VerifiedToken#stateKeys} order). */
    private static Verdict verdict(VerifiedToken token, String[] values) {
        if (values[0] != null) {
            return new Verdict(Status.REVOKED, "the access token was revoked");
        }
        if (token.clientToken()) {
            // [jti, client not-before]: no family, no user, no user decision
            return revokedBy(values[1], token.issuedAt())
                    ? new Verdict(Status.REVOKED, "the client's tokens were revoked") : Verdict.VALID;
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
        // Stamps BEFORE the read: an invalidation applied from here on outdates what we read, so it is never
        // served, whether our insert below lands before or after that invalidation's removal.
        long readAt = System.nanoTime();
        long epoch = cache.epoch();
        long[] versions = new long[missing.size()];
        for (int j = 0; j < versions.length; j++) {
            versions[j] = cache.version(keys[missing.get(j)]);
        }
        try (Jedis jedis = pool.getResource()) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<String>> responses = new ArrayList<>(missing.size());
            for (int i : missing) {
                responses.add(i == 5 ? pipeline.hget(keys[i], "outcome") : pipeline.get(keys[i])); // 5: the decision
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
        Runnable hook = afterRedisRead;
        if (hook != null) {
            hook.run();
        }
        if (isConfirmed()) {
            for (int j = 0; j < versions.length; j++) {
                int i = missing.get(j);
                cache.put(keys[i], values[i], epoch, versions[j], readAt);
            }
        }
        return true;
    }

    /** Test seam: {@code hook} runs after each load's Redis read and before its values are cached. */
    void afterRedisRead(Runnable hook) {
        afterRedisRead = hook;
    }

    private void invalidate(String message) {
        if ("*".equals(message)) {
            cache.invalidateAll();
        } else {
            // The contract publishes the full key; accept the bare suffix form too.
            cache.invalidate(message);
            if (!message.startsWith(RedisKeys.PREFIX)) {
                cache.invalidate(RedisKeys.PREFIX + message);
                cache.invalidate(RedisKeys.PREFIX + "rev:" + message);
            }
        }
        invalidations.inc(); // once applied, so a count says the cache no longer serves what it invalidated
    }

    private void dropAll() {
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
            // The subscription blocks reading (no socket timeout): liveness comes from PINGs on it. Each attempt
            // asks for the primary anew, so after a failover it subscribes where the writers now publish.
            try (Jedis jedis = new Jedis(endpoint.primary(), endpoint.clientConfig(0))) {
                lastPongNanos = System.nanoTime(); // the SUBSCRIBE's answer is due within the bound
                subscription = jedis;
                jedis.subscribe(s, RedisKeys.INVALIDATION_CHANNEL);
            } catch (RuntimeException e) {
                if (running && subscribed) {
                    LOG.warn("event=token_state.subscription_lost error={}", e.getClass().getSimpleName());
                }
            } finally {
                subscription = null;
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
            Jedis connection = subscription; // read before lastPongNanos, which is written before it
            boolean answering = now - lastPongNanos <= boundNanos;
            boolean live = subscribed && answering;
            if (!answering && connection != null) {
                // Neither the SUBSCRIBE nor a PING answered within the bound: the primary's host may be cut off,
                // and a subscription's read never times out. Closing it makes the subscriber ask for the primary anew.
                connection.disconnect();
            }
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
        return cache.size();
    }
}
