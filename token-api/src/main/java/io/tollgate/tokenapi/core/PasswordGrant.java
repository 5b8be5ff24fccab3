package io.tollgate.tokenapi.core;

import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.api.TokenResponse;

import java.util.List;
import java.util.Set;

/**
 * The resource owner password credentials grant (RFC 6749 §4.3). Order of checks: DPoP proof, username and password
 * present, grant allowed, scope and resource syntax, resources among the client's APIs; then the password checks of
 * {@link PasswordLogin} (lockout, credentials, block and policy decision, entitlement, resources and scope); then a new
 * family is issued ({@link FamilyIssuer}).
 *
 * <p>RFC 8707 {@code resource} (see {@link ResourceIndicators}) makes {@code aud} exactly the named APIs and limits
 * {@code scope} to what their plans grant; the family remembers the APIs the login named.
 */
public final class PasswordGrant implements TokenGrant {
    public static final String GRANT_TYPE = "password";

    private final ClientGrants grants;
    private final PasswordLogin logins;
    private final FamilyIssuer issuer;
    private final DpopBinding dpop;

    public PasswordGrant(ClientGrants grants, PasswordLogin logins, FamilyIssuer issuer, DpopBinding dpop) {
        this.grants = grants;
        this.logins = logins;
        this.issuer = issuer;
        this.dpop = dpop;
    }

    @Override
    public TokenResponse issue(ApplicationRecord client, TokenRequest request) {
        String jkt = dpop.keyFor(client, request.dpopProofs());
        String username = request.param("username");
        String password = request.param("password");
        // an all-space username is an omitted one (as an empty value is): no user is called that, and the audit
        // event of a failure needs the name that was tried
        if (username == null || password == null || username.isBlank()) {
            throw OAuthException.invalidRequest("username and password are required");
        }
        if (username.length() > 256 || username.chars().anyMatch(Character::isISOControl)) {
            throw OAuthException.invalidGrant(PasswordLogin.BAD_CREDENTIALS);
        }
        List<Entitlements.Usable> usable = grants.usable(client, GRANT_TYPE);
        Set<String> requested = ScopePolicy.parse(request.param("scope"));
        Set<String> resources = ResourceIndicators.parse(request.resources());
        if (resources != null) {
            ResourceIndicators.requireAmong(resources, ResourceIndicators.offered(usable));
        }
        PasswordLogin.Success login = logins.check(client, GRANT_TYPE, username, password, usable, requested,
                resources, request.ip());
        return issuer.issue(RandomTokens.id(), login.user(), client, login.entitled(),
                ScopePolicy.format(login.scope()), resources, request.ip(), jkt);
    }
}
