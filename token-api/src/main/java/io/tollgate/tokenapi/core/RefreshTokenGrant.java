package io.tollgate.tokenapi.core;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.datapoints.Timer;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.RefreshRetried;
import io.tollgate.shared.events.RefreshReused;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.api.TokenResponse;
import io.tollgate.tokenapi.config.TokenSettings;
import io.tollgate.tokenapi.idp.IdentityProvider;
import io.tollgate.tokenapi.idp.IdentityProviderUnavailableException;
import io.tollgate.tokenapi.idp.UserLookup;
import io.tollgate.tokenapi.kafka.AuthEventPublisher;
import io.tollgate.tokenapi.redis.BruteForceGuard;
import io.tollgate.tokenapi.redis.Family;
import io.tollgate.tokenapi.redis.RefreshFamilies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The refresh token grant (RFC 6749 §6) over rotating refresh families. The presented token is looked up by its
 * hash; only the family's current token is checked again (the user's standing, the IdP's view of the user, the
 * entitlement, scope and session lifetime) and a successor pair signed; then one atomic rotation decides: rotated,
 * a retry of the token just rotated, reuse of an older token (the family is revoked), or revoked.
 *
 * <p>The family remembers the APIs a login named; a refresh may name fewer (that one access token's audience and
 * scope shrink, the family keeps its grant) but never others. A refresh follows the plans of the family's APIs as
 * they are now ({@link RefreshPolicy}): a session lifetime ends the family and caps every refresh token's expiry; a
 * reuse interval keeps the successor pair, sealed for the presented token only ({@link RetrySeal}), so that a retry
 * of the token just rotated gets the same answer. A DPoP-bound family (RFC 9449 §5) refreshes only with a proof by
 * its key.
 */
public final class RefreshTokenGrant implements TokenGrant {
    public static final String GRANT_TYPE = "refresh_token";
    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenGrant.class);
    static final String BAD_REFRESH = "the refresh token is invalid, expired or revoked";
    static final String BOUND_REFRESH_NO_PROOF = "the refresh token is bound to a DPoP key: send a DPoP proof by it";
    static final String BOUND_REFRESH_OTHER_KEY = "the refresh token is bound to another DPoP key";

    private final ClientGrants grants;
    private final Entitlements entitlements;
    private final IdentityProvider idp;
    private final BruteForceGuard guard;
    private final RefreshFamilies families;
    private final AccessTokens accessTokens;
    private final AuthEventPublisher events;
    private final GrantFailures failures;
    private final TokenSettings settings;
    private final MetricRegistry metrics;
    private final Histogram idpLatency;
    private final DpopBinding dpop;

    public RefreshTokenGrant(ClientGrants grants, Entitlements entitlements, IdentityProvider idp,
                             BruteForceGuard guard, RefreshFamilies families, AccessTokens accessTokens,
                             AuthEventPublisher events, GrantFailures failures, TokenSettings settings,
                             MetricRegistry metrics, DpopBinding dpop) {
        this.grants = grants;
        this.entitlements = entitlements;
        this.idp = idp;
        this.guard = guard;
        this.families = families;
        this.accessTokens = accessTokens;
        this.events = events;
        this.failures = failures;
        this.settings = settings;
        this.metrics = metrics;
        this.idpLatency = TokenMetrics.identityProvider(metrics);
        this.dpop = dpop;
        for (String name : new String[] {"refresh.unknown", "refresh.reused", "refresh.retried"}) {
            metrics.meter("tollgate." + name);
        }
    }

    /**
     * The successor of the current token, signed before the rotation: with a reuse interval the pair is kept
     * (sealed) by the same atomic step that rotates, so a retry racing this request already finds it.
     *
     * @param familyScope the family's scope from now on (a refresh may narrow it)
     * @param tokenScope  the scope of this access token (narrower still when {@code resource} named fewer APIs)
     */
    private record Successor(String familyScope, String tokenScope, long refreshExpires, AccessTokens.Issued access,
                             RefreshFamilies.Retry retry) {
    }

    @Override
    public TokenResponse issue(ApplicationRecord client, TokenRequest request) {
        String ip = request.ip();
        String jkt = dpop.keyFor(client, request.dpopProofs());
        String token = request.required("refresh_token");
        List<Entitlements.Usable> usable = grants.usable(client, GRANT_TYPE);
        Set<String> requested = ScopePolicy.parse(request.param("scope"));
        Set<String> resources = ResourceIndicators.parse(request.resources());
        if (guard.addressLockedFor(BruteForceGuard.Counters.LOGINS, ip).isPresent()) {
            throw OAuthException.invalidGrant(BAD_REFRESH);
        }
        String hash = Hashes.sha256(token);
        Family family = family(token, hash, client);
        // A bound family's token without a proof by its key is refused before rotation: the family stays the
        // key holder's (RFC 9449 §5); a stolen refresh token alone is worth nothing.
        if (family.dpopBound() && !family.jkt().equals(jkt)) {
            throw OAuthException.invalidGrant(jkt == null ? BOUND_REFRESH_NO_PROOF : BOUND_REFRESH_OTHER_KEY);
        }
        Instant now = Instant.now();
        String newToken = RandomTokens.generate(256);
        // Only a current token is re-checked; an old one goes straight to the script, which revokes the family.
        Successor next = family.hash().equals(hash)
                ? successor(family, client, usable, requested, resources, token, hash, newToken, jkt, ip, now)
                : new Successor(family.scope(), null,
                        now.plus(settings.refreshTokenLifetime.toJavaDuration()).getEpochSecond(), null,
                        RefreshFamilies.Retry.NONE);
        String newHash = Hashes.sha256(newToken);
        RefreshFamilies.Rotation rotation = families.rotate(hash, newHash, now.getEpochSecond(), next.refreshExpires(),
                settings.revocationLifetime().toSeconds(), next.familyScope(), next.retry());
        return switch (rotation.outcome()) {
            case ROTATED -> rotated(rotation.family(), client, next, newToken, newHash, ip);
            case RETRIED -> retried(token, hash, rotation, ip, now);
            case REUSED -> throw reused(rotation.family(), ip, now);
            case UNCONFIRMED -> throw failures.unconfirmed(GRANT_TYPE);
            default -> {
                failures.fail(family.user(), client, GRANT_TYPE, LoginFailed.Reason.REVOKED, ip);
                throw OAuthException.invalidGrant(BAD_REFRESH);
            }
        };
    }

    /**
     * The family of the presented token, this client's. An unknown refresh token is not counted against the
     * address: 256 random bits cannot be guessed, and the usual unknown token is a phone's expired one. Behind
     * carrier-grade NAT, where thousands of phones share an address, counting those would lock everybody's logins
     * out (the address lock is still checked before).
     */
    private Family family(String token, String hash, ApplicationRecord client) {
        RefreshFamilies.Lookup lookup = token.length() > 512 ? RefreshFamilies.Lookup.NOT_OURS : families.lookup(hash);
        // Redis lost and the projection not rebuilt yet: the family may simply not be back. Refusing the token
        // (invalid_grant) would log the user out for good; every decision below also reads projected state.
        if (!lookup.confirmed()) {
            throw failures.unconfirmed(GRANT_TYPE);
        }
        Optional<Family> found = lookup.family();
        if (found.isEmpty() || !found.get().client().equals(client.clientId())) {
            metrics.meter("tollgate.refresh.unknown").mark();
            throw OAuthException.invalidGrant(BAD_REFRESH);
        }
        return found.get();
    }

    /** The current token's successor: every check of a login but the password, on the state of now. */
    private Successor successor(Family family, ApplicationRecord client, List<Entitlements.Usable> usable,
                                Set<String> requested, Set<String> resources, String token, String hash,
                                String newToken, String jkt, String ip, Instant now) {
        String user = family.user();
        Entitlements.Entitled entitled = entitled(family, client, usable, ip);
        Entitlements.Entitled target = entitled; // the APIs of this access token
        if (resources != null) {
            // narrowing only: an API outside the family's grant is invalid_target, as an unknown one is
            ResourceIndicators.requireAmong(resources, entitled.audience());
            target = entitled.narrowTo(resources);
        }
        Set<String> original = ScopePolicy.split(family.scope());
        if (requested != null && !original.containsAll(requested)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "a refresh cannot widen the granted scope");
        }
        Set<String> narrowed = ScopePolicy.grant(requested, original);
        narrowed.retainAll(entitled.scopes());
        Set<String> forTarget = ScopePolicy.grant(narrowed, target.scopes());
        if (forTarget.isEmpty()) {
            failures.fail(user, client, GRANT_TYPE, LoginFailed.Reason.INVALID_SCOPE, ip);
            throw new OAuthException(OAuthError.INVALID_SCOPE, "none of the requested scopes can be granted");
        }
        String tokenScope = ScopePolicy.format(forTarget);
        // The plans of the family's APIs as they are now: a shorter session set since the login applies at once.
        RefreshPolicy policy = RefreshPolicy.of(entitled);
        if (policy.sessionOver(family.createdAtMillis(), now)) {
            failures.fail(user, client, GRANT_TYPE, LoginFailed.Reason.INVALID_REFRESH_TOKEN, ip);
            throw OAuthException.invalidGrant("the session has reached its maximum lifetime, log in again");
        }
        long refreshExpires = policy.capExpiry(
                now.plus(settings.refreshTokenLifetime.toJavaDuration()).getEpochSecond(),
                family.createdAtMillis());
        AccessTokens.Issued access = accessTokens.issue(user, client.clientId(), target.audience(), tokenScope,
                family.familyId(), now, jkt);
        RefreshFamilies.Retry retry = RefreshFamilies.Retry.NONE;
        if (policy.reuseSeconds() > 0) {
            RetrySeal.Pair pair = new RetrySeal.Pair(access.token(), access.tokenType(),
                    access.expiresAt().getEpochSecond(), newToken, tokenScope);
            retry = new RefreshFamilies.Retry(policy.reuseSeconds(), RetrySeal.seal(token, hash, pair));
        }
        return new Successor(ScopePolicy.format(narrowed), tokenScope, refreshExpires, access, retry);
    }

    /**
     * The user's entitlement now: standing, the IdP's view and the rules; a family whose login named resources
     * keeps to those APIs (those the user is still entitled to).
     */
    private Entitlements.Entitled entitled(Family family, ApplicationRecord client, List<Entitlements.Usable> usable,
                                           String ip) {
        String user = family.user();
        failures.requireNotDenied(user, client, GRANT_TYPE, ip);
        Set<String> groups = currentGroups(user, client, ip);
        // groups == null: the IdP cannot look users up (HTTP); group entitlement was decided at login.
        Entitlements.Entitled entitled = entitlements.evaluate(usable, groups);
        if (entitled != null && !family.audience().isEmpty()) {
            entitled = entitled.only(ScopePolicy.split(family.audience()));
        }
        if (entitled == null) {
            failures.fail(user, client, GRANT_TYPE, LoginFailed.Reason.NOT_ENTITLED, ip);
            throw OAuthException.invalidGrant("the user is no longer entitled to use this application's APIs");
        }
        return entitled;
    }

    /**
     * The user's groups now, {@code null} when the IdP cannot look users up; a user the IdP no longer knows (or, for
     * the HTTP provider, reports disabled) is refused whatever the entitlement rules require.
     */
    private Set<String> currentGroups(String user, ApplicationRecord client, String ip) {
        UserLookup lookup;
        try (Timer ignored = idpLatency.startTimer()) {
            lookup = idp.lookup(user);
        } catch (IdentityProviderUnavailableException e) {
            throw failures.idpUnavailable(e);
        }
        return switch (lookup.outcome()) {
            case FOUND -> lookup.identity().groups();
            case UNSUPPORTED -> null;
            case NOT_FOUND -> {
                failures.fail(user, client, GRANT_TYPE, LoginFailed.Reason.NOT_ENTITLED, ip);
                throw OAuthException.invalidGrant("the user is unknown to or disabled in the identity provider");
            }
        };
    }

    private TokenResponse rotated(Family rotated, ApplicationRecord client, Successor next, String newToken,
                                  String newHash, String ip) {
        AccessTokens.Issued access = next.access();
        events.emit(new TokenRefreshed(rotated.user(), client.clientId(), rotated.familyId(), rotated.generation(),
                newHash, access.jti(), rotated.scope(), access.expiresAt(),
                Instant.ofEpochSecond(next.refreshExpires()), ip, rotated.subscriptionId()));
        LOG.info("event=token.refreshed user={} client={} family={} generation={} jti={}", rotated.user(),
                client.clientId(), rotated.familyId(), rotated.generation(), access.jti());
        return access.response(newToken, next.tokenScope());
    }

    /**
     * The token just rotated, presented again by its client within the reuse interval, its successor unused: the
     * successor pair as first answered (only this token opens it), an audit event, and no revocation.
     */
    private TokenResponse retried(String token, String hash, RefreshFamilies.Rotation rotation, String ip,
                                  Instant now) {
        Family f = rotation.family();
        Optional<RetrySeal.Pair> pair = RetrySeal.open(token, hash, rotation.sealed());
        if (pair.isEmpty()) {
            // cannot happen for a token that hashes to the slot's key; refuse rather than guess
            LOG.warn("event=refresh.retry_unreadable user={} client={} family={}", f.user(), f.client(), f.familyId());
            throw OAuthException.invalidGrant(BAD_REFRESH);
        }
        events.emit(new RefreshRetried(f.user(), f.client(), f.familyId(), f.generation(), ip));
        LOG.info("event=refresh.retried user={} client={} family={} generation={}", f.user(), f.client(),
                f.familyId(), f.generation());
        metrics.meter("tollgate.refresh.retried").mark();
        return pair.get().response(now);
    }

    /** An older token of the family presented again: the family is revoked (RFC 6749 §10.4, RFC 9700 §4.14.2). */
    private OAuthException reused(Family reused, String ip, Instant now) {
        events.revocation(new Revocation(Revocation.Kind.FAMILY, reused.user(), reused.client(), reused.familyId(),
                null, Instant.ofEpochSecond(now.getEpochSecond()),
                now.plusSeconds(settings.revocationLifetime().toSeconds()), "token-api", "refresh token reuse"));
        events.emit(new RefreshReused(reused.user(), reused.client(), reused.familyId(), ip));
        LOG.warn("event=refresh.reused user={} client={} family={}", reused.user(), reused.client(),
                reused.familyId());
        metrics.meter("tollgate.refresh.reused").mark();
        return OAuthException.invalidGrant(BAD_REFRESH);
    }
}
