package io.tollgate.gateway.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.dropwizard.lifecycle.Managed;
import io.tollgate.shared.crypto.SignatureKeyPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * token-api's JWKS, held in memory. Refreshed on a schedule (so retired keys stop verifying) and when a
 * token names a key id the set does not hold, at most once per {@code minRefreshInterval} so a flood of
 * made-up kids cannot hammer the issuer. Only public keys fit for signatures ({@link SignatureKeyPolicy}) are
 * kept.
 */
public final class JwksKeySource implements JWKSource<SecurityContext>, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

    private final URI url;
    private final Duration refreshInterval;
    private final long minRefreshNanos;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile JWKSet keys = new JWKSet();
    private volatile boolean loaded;
    private volatile long lastAttemptNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    private ScheduledExecutorService scheduler;

    public JwksKeySource(URI url, Duration refreshInterval, Duration minRefreshInterval) {
        this.url = url;
        this.refreshInterval = refreshInterval;
        this.minRefreshNanos = minRefreshInterval.toNanos();
    }

    @Override
    public void start() {
        refresh();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jwks-refresh");
            t.setDaemon(true);
            return t;
        });
        // Until the first load succeeds, retry often; afterwards at the configured interval.
        scheduler.scheduleWithFixedDelay(() -> {
            if (!loaded || System.nanoTime() - lastAttemptNanos >= refreshInterval.toNanos()) {
                refresh();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    public boolean isLoaded() {
        return loaded;
    }

    public int size() {
        return keys.size();
    }

    /** Fetches the set now; false (and the previous set kept) when the issuer cannot be reached. */
    public synchronized boolean refresh() {
        lastAttemptNanos = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warn("event=jwks.refresh_failed url={} status={}", url, response.statusCode());
                return false;
            }
            JWKSet fetched = fitForSignatures(JWKSet.parse(response.body()).toPublicJWKSet());
            keys = fetched;
            if (!loaded) {
                LOG.info("event=jwks.loaded url={} keys={}", url, fetched.size());
            }
            loaded = true;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("event=jwks.refresh_failed url={} error={}", url, e.getClass().getSimpleName());
            return false;
        }
    }

    /** The keys {@link SignatureKeyPolicy} lets verify; each one left out is logged (kid and reason). */
    private JWKSet fitForSignatures(JWKSet set) {
        List<JWK> fit = new ArrayList<>();
        for (JWK key : set.getKeys()) {
            Optional<String> unfit = SignatureKeyPolicy.unfit(key);
            if (unfit.isPresent()) {
                LOG.warn("event=jwks.key_ignored url={} kid={} reason=\"{}\"", url, key.getKeyID(), unfit.get());
            } else {
                fit.add(key);
            }
        }
        return new JWKSet(fit);
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        List<JWK> matches = selector.select(keys);
        if (matches.isEmpty() && System.nanoTime() - lastAttemptNanos >= minRefreshNanos) {
            synchronized (this) {
                if (System.nanoTime() - lastAttemptNanos >= minRefreshNanos) {
                    refresh();
                }
            }
            matches = selector.select(keys);
        }
        return matches;
    }
}
