package io.tollgate.gateway.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.events.Event;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.concurrent.DaemonThreads;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * token-api's JWKS, through Nimbus's {@link JWKSourceBuilder}: a cache that lives {@code refreshInterval} and is
 * refreshed ahead of its expiry on a schedule (so retired keys stop verifying), a refresh when a token names a key
 * id the set does not hold, rate-limited to {@code minRefreshInterval} so a flood of made-up kids cannot hammer the
 * issuer, and outage tolerance: while the issuer cannot be reached the last set it published keeps verifying.
 * Only public keys fit for signatures ({@link SignatureKeysSource}) are kept.
 * <p>
 * A fetch blocks, and the event loops must not: with {@link #CACHED_ONLY} as its context a lookup answers from the
 * set last cached, or throws {@link KeysNotCachedException} when only a fetch could answer; the caller then asks
 * again from a worker thread, without that context.
 */
public final class JwksKeySource implements JWKSource<SecurityContext>, Managed {
    /** The context of a lookup that must not block: answered from the cached set, never by a fetch. */
    public static final SecurityContext CACHED_ONLY = new SecurityContext() {
        @Override
        public String toString() {
            return "CACHED_ONLY";
        }
    };
    /**
     * Longest a lookup waits for a refresh another thread is making: the fetch's own time-outs and a second more,
     * so that a lookup waiting on a fetch that fails gets the set outage tolerance keeps, not a time-out.
     */
    static final long REFRESH_TIMEOUT_MILLIS = SignatureKeysSource.CONNECT_TIMEOUT_MILLIS
            + SignatureKeysSource.READ_TIMEOUT_MILLIS + 1_000;
    /** How long before the cache expires the scheduled refresh starts (a quarter of the lifetime at most). */
    static final long REFRESH_AHEAD_MILLIS = 30_000;
    private static final JWKSelector ANY_KEY = new JWKSelector(new JWKMatcher.Builder().build());

    /**
     * The set Nimbus cached last, when the fetch that produced it began and until when: what a {@link #CACHED_ONLY}
     * lookup may use.
     */
    private record Cached(JWKSet keys, long fetchedAtMillis, long expiresAtMillis) {
    }

    private final SignatureKeysSource fetcher;
    private final JWKSource<SecurityContext> nimbus;
    private final long timeToLiveMillis;
    private final long minRefreshMillis;
    private final ScheduledExecutorService refresher;
    private volatile Cached cached;
    /** When the refresh now under way began: the cached set it yields is held from then on. */
    private volatile long refreshStartedMillis;
    private volatile ScheduledFuture<?> firstLoad;

    /**
     * @param refreshInterval    how long a fetched set is used; it is refreshed ahead of that, on a schedule
     * @param minRefreshInterval at most one refresh per this interval when a token names an unknown kid; shorter
     *                           than {@code refreshInterval}
     */
    public JwksKeySource(URI url, Duration refreshInterval, Duration minRefreshInterval) {
        this.timeToLiveMillis = refreshInterval.toMillis();
        long minRefreshMillis = minRefreshInterval.toMillis();
        if (minRefreshMillis <= 0 || minRefreshMillis >= timeToLiveMillis) {
            throw new IllegalArgumentException("tokens.jwksMinRefreshInterval (" + minRefreshInterval
                    + ") must be positive and shorter than tokens.jwksRefreshInterval (" + refreshInterval + ")");
        }
        this.minRefreshMillis = minRefreshMillis;
        this.fetcher = new SignatureKeysSource(url);
        this.refresher = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("jwks-refresh"));
        long refreshTimeout = Math.min(REFRESH_TIMEOUT_MILLIS, timeToLiveMillis / 4);
        this.nimbus = JWKSourceBuilder.create(fetcher)
                .cache(timeToLiveMillis, refreshTimeout)
                .refreshAheadCache(Math.min(REFRESH_AHEAD_MILLIS, timeToLiveMillis / 4), this::cachingEvent,
                        refresher, false, refresher, false)
                .rateLimited(minRefreshMillis)
                .outageTolerantForever()
                .retrying(false)
                .build();
    }

    private void cachingEvent(Event<CachingJWKSetSource<SecurityContext>, SecurityContext> event) {
        if (event instanceof CachingJWKSetSource.RefreshInitiatedEvent) {
            refreshStartedMillis = System.currentTimeMillis();
        } else if (event instanceof CachingJWKSetSource.RefreshCompletedEvent<SecurityContext> done) {
            // Nimbus's entry expires a refresh-time-to-live after its caller's clock reading, taken before the
            // refresh began: this one expires no later.
            long started = refreshStartedMillis;
            cached = new Cached(done.getJWKSet(), started, started + timeToLiveMillis);
        }
    }

    /** Loads the set; until that succeeds, retries every second (a rate-limited attempt waits for the next). */
    @Override
    public void start() {
        if (!load()) {
            firstLoad = refresher.scheduleWithFixedDelay(() -> {
                if (load()) {
                    firstLoad.cancel(false);
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void stop() throws IOException {
        refresher.shutdownNow();
        if (nimbus instanceof Closeable closeable) {
            closeable.close();
        }
    }

    /** Fetches the set unless one is cached; true when one is (blocks: never on an event loop). */
    public boolean load() {
        try {
            nimbus.get(ANY_KEY, null);
        } catch (KeySourceException e) {
            // logged by the fetcher, or rate-limited
        }
        return isLoaded();
    }

    public boolean isLoaded() {
        return cached != null;
    }

    public int size() {
        Cached c = cached;
        return c == null ? 0 : c.keys().size();
    }

    /**
     * The keys {@code selector} matches. With {@link #CACHED_ONLY}: from the cached set, none when the set lacks
     * the key and was itself fetched within the minimum interval (Nimbus would refuse another refresh and answer from
     * it), or {@link KeysNotCachedException} when only a fetch can tell, including while a fetch that may bring the
     * key is under way (a token signed with a newly promoted key, seen while another thread fetches the set with
     * it, waits for that fetch). Otherwise through Nimbus, which may fetch; an issuer that cannot be reached, or a
     * refresh refused by the rate limit, selects no key.
     */
    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        if (context == CACHED_ONLY) {
            return cachedOnly(selector);
        }
        try {
            return nimbus.get(selector, null);
        } catch (KeySourceException e) {
            // RateLimitReachedException, or no set at all (the fetcher logged why)
            return List.of();
        }
    }

    private List<JWK> cachedOnly(JWKSelector selector) throws KeysNotCachedException {
        Cached c = cached;
        if (c == null || System.currentTimeMillis() >= c.expiresAtMillis()) {
            throw new KeysNotCachedException();
        }
        List<JWK> matches = selector.select(c.keys());
        if (!matches.isEmpty() || System.currentTimeMillis() - c.fetchedAtMillis() < minRefreshMillis) {
            return matches;
        }
        throw new KeysNotCachedException();
    }
}
