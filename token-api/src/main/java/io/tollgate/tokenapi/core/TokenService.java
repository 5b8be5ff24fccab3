package io.tollgate.tokenapi.core;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.api.TokenResponse;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The token endpoint's one entrance: {@code grant_type} checked, the client authenticated through the one guarded
 * {@link ClientAuthenticator} (a locked address gets no PBKDF2 work), then the request handed to its
 * {@link TokenGrant}; each answer counted by grant type and outcome. The grants: {@link PasswordGrant},
 * {@link RefreshTokenGrant}, {@link AuthorizationCodeGrant} (with PKCE) and {@link ClientCredentialsGrant}.
 */
public final class TokenService {
    /** The RFC 8707 parameter, the one the token endpoint accepts more than once. */
    public static final String RESOURCE = "resource";
    /** The grant types of the token endpoint, in the order the metadata lists them. */
    public static final List<String> SUPPORTED_GRANTS = List.of(PasswordGrant.GRANT_TYPE,
            RefreshTokenGrant.GRANT_TYPE, AuthorizationCodeGrant.GRANT_TYPE, ClientCredentialsGrant.GRANT_TYPE);

    private final ClientAuthenticator clients;
    private final Map<String, TokenGrant> grants;
    private final Counter requests;
    private final Histogram duration;

    /** @param grants the grant of each of {@link #SUPPORTED_GRANTS}, by its {@code grant_type} */
    public TokenService(ClientAuthenticator clients, Map<String, TokenGrant> grants, MetricRegistry metrics) {
        if (!grants.keySet().equals(Set.copyOf(SUPPORTED_GRANTS))) {
            throw new IllegalArgumentException("grants " + grants.keySet() + " are not " + SUPPORTED_GRANTS);
        }
        this.clients = clients;
        this.grants = Map.copyOf(grants);
        this.requests = TokenMetrics.requests(metrics);
        this.duration = TokenMetrics.duration(metrics);
        // Every series this class counts exists from the start, at 0: the same series on every node, and a
        // dashboard or a scrape-to-scrape comparison never meets a series that appears only after its first event.
        for (String grantType : SUPPORTED_GRANTS) {
            requests.initLabelValues(grantType, "success");
            for (OAuthError error : OAuthError.values()) {
                requests.initLabelValues(grantType, error.code());
            }
            duration.initLabelValues(grantType);
        }
    }

    /** @param authorization the request's {@code Authorization} header, null when none */
    public TokenResponse grant(TokenRequest request, String authorization) {
        String grantType = request.required("grant_type");
        TokenGrant grant = grants.get(grantType);
        if (grant == null) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE,
                    "supported: " + String.join(", ", SUPPORTED_GRANTS));
        }
        ClientCredentials credentials = ClientCredentials.from(authorization, request.form());
        long start = System.nanoTime();
        try {
            ApplicationRecord client = clients.client(credentials, request.ip());
            TokenResponse response = grant.issue(client, request);
            count(grantType, "success");
            return response;
        } catch (OAuthException e) {
            count(grantType, e.error().code());
            throw e;
        } finally {
            duration.labelValues(grantType).observe((System.nanoTime() - start) / 1e9);
        }
    }

    private void count(String grantType, String outcome) {
        requests.labelValues(grantType, outcome).inc();
    }
}
