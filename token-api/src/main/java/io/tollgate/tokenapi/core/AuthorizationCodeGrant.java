package io.tollgate.tokenapi.core;

import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.api.TokenResponse;
import io.tollgate.tokenapi.redis.AuthorizationCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The token endpoint's {@code authorization_code} grant (RFC 6749 §4.1.3, RFC 7636 §4.5): the code is redeemed once,
 * then must have been issued to this client, for this {@code redirect_uri} (identical to the authorization
 * request's), and {@code code_verifier} must hash to its challenge; every mismatch, an expired or a used code is
 * {@code invalid_grant}. A code presented again after it was redeemed revokes the family issued from it (RFC 6749
 * §4.1.2). The user's standing and entitlement are checked again, and a new family is issued exactly as a password
 * login issues one. A valid DPoP proof (RFC 9449) binds the access token and, for a public client, the family to its
 * key, as in the password grant ({@link DpopBinding}); an application that requires DPoP must send one.
 */
public final class AuthorizationCodeGrant implements TokenGrant {
    public static final String GRANT_TYPE = "authorization_code";
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodeGrant.class);
    private static final String BAD_CODE = "the authorization code is invalid, expired or already used";

    private final AuthorizationCodes codes;
    private final ClientGrants grants;
    private final Entitlements entitlements;
    private final GrantFailures failures;
    private final RevocationService revocations;
    private final FamilyIssuer issuer;
    private final DpopBinding dpop;

    public AuthorizationCodeGrant(AuthorizationCodes codes, ClientGrants grants, Entitlements entitlements,
                                  GrantFailures failures, RevocationService revocations, FamilyIssuer issuer,
                                  DpopBinding dpop) {
        this.codes = codes;
        this.grants = grants;
        this.entitlements = entitlements;
        this.failures = failures;
        this.revocations = revocations;
        this.issuer = issuer;
        this.dpop = dpop;
    }

    @Override
    public TokenResponse issue(ApplicationRecord client, TokenRequest request) {
        String ip = request.ip();
        // checked before the code is redeemed: a refused proof does not use up the code
        String jkt = dpop.keyFor(client, request.dpopProofs());
        String code = request.required("code");
        String redirectUri = request.required("redirect_uri");
        String verifier = request.required("code_verifier", "code_verifier is required (PKCE)");
        if (!Pkce.isVerifier(verifier)) {
            throw OAuthException.invalidRequest("code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~");
        }
        List<Entitlements.Usable> usable = grants.usable(client, GRANT_TYPE);
        Set<String> asked = ResourceIndicators.parse(request.resources());

        String familyId = RandomTokens.id();
        AuthorizationCodes.Grant grant = redeem(code, familyId, client, redirectUri, verifier);
        Set<String> resources = grant.resources() == null ? null : new LinkedHashSet<>(grant.resources());
        if (asked != null) {
            // RFC 8707 §2.2: the token request may narrow the authorization request's resources, never widen them
            if (resources != null && !resources.containsAll(asked)) {
                throw new OAuthException(OAuthError.INVALID_TARGET,
                        "resource must be among those of the authorization request");
            }
            ResourceIndicators.requireAmong(asked, ResourceIndicators.offered(usable));
        }
        String user = grant.user();
        failures.requireNotDenied(user, client, GRANT_TYPE, ip);
        Entitlements.Entitled entitled = entitlements.evaluate(usable, grant.groups());
        if (entitled == null) {
            failures.fail(user, client, GRANT_TYPE, LoginFailed.Reason.NOT_ENTITLED, ip);
            throw OAuthException.invalidGrant("the user is not entitled to use this application's APIs");
        }
        Set<String> audience = asked != null ? asked : resources;
        if (audience != null) {
            entitled = entitled.narrowTo(audience);
        }
        Set<String> scope = ScopePolicy.grant(ScopePolicy.split(grant.scope()), entitled.scopes());
        if (scope.isEmpty()) {
            failures.fail(user, client, GRANT_TYPE, LoginFailed.Reason.INVALID_SCOPE, ip);
            throw new OAuthException(OAuthError.INVALID_SCOPE, "none of the granted scopes is still available");
        }
        return issuer.issue(familyId, user, client, entitled, ScopePolicy.format(scope), audience, ip, jkt);
    }

    /**
     * The code's grant, redeemed once and for all, then checked: issued to this client, for this
     * {@code redirect_uri}, to the holder of {@code verifier}, not expired. A code presented again after it was
     * redeemed revokes the family issued from it.
     */
    private AuthorizationCodes.Grant redeem(String code, String familyId, ApplicationRecord client, String redirectUri,
                                            String verifier) {
        AuthorizationCodes.Redemption redemption = codes.redeem(code, familyId);
        if (redemption.grant().isEmpty()) {
            redemption.replayed().ifPresent(replay -> revokeReplayed(replay, client));
            throw OAuthException.invalidGrant(BAD_CODE);
        }
        AuthorizationCodes.Grant grant = redemption.grant().get();
        if (!grant.clientId().equals(client.clientId())
                || !grant.redirectUri().equals(redirectUri)
                || !Pkce.verifies(verifier, grant.codeChallenge())
                || Instant.now().getEpochSecond() - grant.issuedAtEpochSecond()
                        > AuthorizationCodes.MAX_LIFETIME.toSeconds()) {
            throw OAuthException.invalidGrant(BAD_CODE);
        }
        return grant;
    }

    /** RFC 6749 §4.1.2: a code used twice revokes the tokens issued from it (its family, and so its tokens). */
    private void revokeReplayed(AuthorizationCodes.Replay replay, ApplicationRecord client) {
        revocations.revokeFamily(replay.user(), client.clientId(), replay.familyId(), "authorization code replay");
        LOG.warn("event=authorization_code.replayed user={} client={} family={}", replay.user(), client.clientId(),
                replay.familyId());
    }
}
