package io.tollgate.tokenapi.core;

import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.ClientTokenIssued;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.api.TokenResponse;
import io.tollgate.tokenapi.config.TokenSettings;
import io.tollgate.tokenapi.kafka.AuthEventPublisher;
import io.tollgate.tokenapi.kafka.EventsUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The client credentials grant (RFC 6749 §4.4): a confidential client, already authenticated, gets an access token
 * for itself. No user, so no identity provider, lockout, policy decision or group entitlement: the scopes are those of
 * the plans of its approved subscriptions that allow the grant (the {@code scope} parameter narrows them), and
 * RFC 8707 {@code resource} narrows {@code aud} as in the password grant. No refresh token (§4.4.3): the client asks
 * again. The token is a client token ({@link AccessTokens#issueForClient}); {@code client_token.issued} is emitted
 * before the token is returned, so no token exists that the audit trail does not know of. A valid DPoP proof (RFC 9449)
 * binds the token to its key ({@code cnf.jkt}, {@code token_type} DPoP), as in the other grants ({@link DpopBinding}).
 */
public final class ClientCredentialsGrant implements TokenGrant {
    public static final String GRANT_TYPE = "client_credentials";
    private static final Logger LOG = LoggerFactory.getLogger(ClientCredentialsGrant.class);
    /** Without a user there are no group rules: each plan's scopes as they are. */
    private static final Set<String> NO_USER_GROUPS = null;

    private final ClientGrants grants;
    private final Entitlements entitlements;
    private final AccessTokens accessTokens;
    private final AuthEventPublisher events;
    private final TokenSettings settings;
    private final DpopBinding dpop;

    public ClientCredentialsGrant(ClientGrants grants, Entitlements entitlements, AccessTokens accessTokens,
                                  AuthEventPublisher events, TokenSettings settings, DpopBinding dpop) {
        this.grants = grants;
        this.entitlements = entitlements;
        this.accessTokens = accessTokens;
        this.events = events;
        this.settings = settings;
        this.dpop = dpop;
    }

    @Override
    public TokenResponse issue(ApplicationRecord client, TokenRequest request) {
        if (client.clientType() != ApplicationRecord.ClientType.CONFIDENTIAL) {
            // a public client cannot keep a secret, so it cannot prove it is itself (RFC 6749 §4.4)
            throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT,
                    "the client_credentials grant is for confidential clients only");
        }
        String jkt = dpop.keyFor(client, request.dpopProofs());
        List<Entitlements.Usable> usable = grants.usable(client, GRANT_TYPE);
        Set<String> requested = ScopePolicy.parse(request.param("scope"));
        Set<String> apis = ResourceIndicators.parse(request.resources());
        Entitlements.Entitled entitled = entitlements.evaluate(usable, NO_USER_GROUPS);
        if (apis != null) {
            ResourceIndicators.requireAmong(apis, ResourceIndicators.offered(usable));
            entitled = entitled.narrowTo(apis);
        }
        Set<String> scope = ScopePolicy.grant(requested, entitled.scopes());
        if (scope.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "none of the requested scopes can be granted");
        }
        String granted = ScopePolicy.format(scope);
        AccessTokens.Issued access = accessTokens.issueForClient(client.clientId(), entitled.audience(), granted,
                Instant.now(), jkt);
        try {
            events.emit(new ClientTokenIssued(client.clientId(), client.applicationId(), access.jti(), granted,
                    List.copyOf(entitled.audience()), access.expiresAt(), request.ip()));
        } catch (EventsUnavailableException e) {
            throw OAuthException.unavailable("the service cannot record the issuance now, try again later",
                    settings.retryAfter.toJavaDuration());
        }
        LOG.info("event=client_token.issued client={} jti={} scope=\"{}\"", client.clientId(), access.jti(), granted);
        return access.response(null, granted);
    }
}
