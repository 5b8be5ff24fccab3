package io.tollgate.gateway.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.tollgate.shared.crypto.SignatureKeyPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The issuer's JWKS as fetched over HTTP, public keys only, and of those only the keys {@link SignatureKeyPolicy}
 * lets verify (each one left out is logged with its kid and reason). The innermost source under Nimbus's cache,
 * rate limiter and outage tolerance: every call is one HTTP request.
 */
final class SignatureKeysSource implements JWKSetSource<SecurityContext> {
    private static final Logger LOG = LoggerFactory.getLogger(SignatureKeysSource.class);
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 3_000;
    /** Ample for a JWKS of a few keys in rotation; a larger answer is refused, not read. */
    static final int SIZE_LIMIT_BYTES = 64 * 1024;

    private final URI url;
    private final URLBasedJWKSetSource<SecurityContext> http;
    private volatile boolean loaded;

    SignatureKeysSource(URI url) {
        this.url = url;
        try {
            this.http = new URLBasedJWKSetSource<>(url.toURL(),
                    new DefaultResourceRetriever(CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS, SIZE_LIMIT_BYTES));
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tokens.jwksUrl: not a URL: " + url, e);
        }
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime, SecurityContext context)
            throws KeySourceException {
        JWKSet fetched;
        try {
            fetched = http.getJWKSet(refreshEvaluator, currentTime, context);
        } catch (KeySourceException e) {
            LOG.warn("event=jwks.refresh_failed url={} error={}", url, e.getClass().getSimpleName());
            throw e;
        }
        JWKSet fit = fitForSignatures(fetched.toPublicJWKSet());
        if (!loaded) {
            loaded = true;
            LOG.info("event=jwks.loaded url={} keys={}", url, fit.size());
        }
        return fit;
    }

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
    public void close() throws IOException {
        http.close();
    }
}
