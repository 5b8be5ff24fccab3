package io.tollgate.tokenapi.core;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.datapoints.Timer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.LoginLocked;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.RefreshRetried;
import io.tollgate.shared.events.RefreshReused;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.api.TokenResponse;
import io.tollgate.tokenapi.config.TokenSettings;
import io.tollgate.tokenapi.idp.Identity;
import io.tollgate.tokenapi.idp.IdentityProvider;
import io.tollgate.tokenapi.idp.IdentityProviderUnavailableException;
import io.tollgate.tokenapi.kafka.AuthEventPublisher;
import io.tollgate.tokenapi.kafka.EventsUnavailableException;
import io.tollgate.tokenapi.redis.AuthorizationCodes;
import io.tollgate.tokenapi.redis.BruteForceGuard;
import io.tollgate.tokenapi.redis.Family;
import io.tollgate.tokenapi.redis.RefreshFamilies;
import io.tollgate.tokenapi.redis.RevocationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The grants of the token endpoint: password, refresh_token, and authorization_code (dispatched to
 * {@link AuthorizationCodeGrant}; the password checks live in {@link PasswordLogin}, shared with the hosted login
 * page). Order of checks for a password grant: client, grant allowed, scope and
 * resource syntax, resources among the client's APIs, lockout, credentials (IdP), block and policy decision,
 * entitlement, resources and scope; then the family is written, the token signed, and {@code login.succeeded} emitted, in that
 * order, so an event only tells a final outcome.
 *
 * <p>RFC 8707 {@code resource} (see {@link ResourceIndicators}) makes {@code aud} exactly the named APIs and limits
 * {@code scope} to what their plans grant. The family remembers the APIs a login named; a refresh may name fewer
 * (that one access token's audience and scope shrink, the family keeps its grant) but never others.
 *
 * <p>A refresh follows the plans of the family's APIs as they are now ({@link RefreshPolicy}): a session lifetime
 * ends the family and caps every refresh token's expiry; a reuse interval keeps the successor pair, sealed for the
 * presented token only ({@link RetrySeal}), so that a retry of the token just rotated gets the same answer.
 */
public final class TokenService {
    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    static final String BAD_CREDENTIALS = PasswordLogin.BAD_CREDENTIALS;
    static final String BAD_REFRESH = "the refresh token is invalid, expired or revoked";
    static final String BOUND_REFRESH_NO_PROOF = "the refresh token is bound to a DPoP key: send a DPoP proof by it";
    static final String BOUND_REFRESH_OTHER_KEY = "the refresh token is bound to another DPoP key";
    /** The RFC 8707 parameter, the one the token endpoint accepts more than once. */
    public static final String RESOURCE = "resource";
    /** The grant types of the token endpoint, in the order the metadata lists them. */
    public static final List<String> SUPPORTED_GRANTS = List.of("password", "refresh_token",
            AuthorizationCodeGrant.GRANT_TYPE, ClientCredentialsGrant.GRANT_TYPE);

    private final ClientAuthenticator clients;
    private final ClientGrants grants;
    private final Entitlements entitlements;
    private final IdentityProvider idp;
    private final BruteForceGuard guard;
    private final RefreshFamilies families;
    private final RevocationStore revocations;
    private final AccessTokens accessTokens;
    private final AuthEventPublisher events;
    private final TokenSettings settings;
    private final MetricRegistry metrics;
    private final Histogram idpLatency;
    private final Counter requests;
    private final Histogram duration;
    private final PasswordLogin logins;
    private final AuthorizationCodeGrant codeGrant;
    private final ClientCredentialsGrant clientCredentials;
    private final DpopBinding dpop;

    public TokenService(ClientAuthenticator clients, ClientGrants grants, Entitlements entitlements,
                        IdentityProvider idp, BruteForceGuard guard, RefreshFamilies families,
                        RevocationStore revocations, UserBlocks blocks, AccessTokens accessTokens,
                        AuthEventPublisher events, TokenSettings settings, MetricRegistry metrics,
                        AuthorizationCodes codes, DpopBinding dpop) {
        this.clients = clients;
        this.grants = grants;
        this.entitlements = entitlements;
        this.idp = idp;
        this.guard = guard;
        this.families = families;
        this.revocations = revocations;
        this.accessTokens = accessTokens;
        this.events = events;
        this.settings = settings;
        this.metrics = metrics;
        this.idpLatency = TokenMetrics.identityProvider(metrics);
        this.requests = TokenMetrics.requests(metrics);
        this.duration = TokenMetrics.duration(metrics);
        this.logins = new PasswordLogin(entitlements, idp, guard, revocations, blocks, events, settings,
                metrics);
        this.codeGrant = new AuthorizationCodeGrant(codes, grants, entitlements, logins, events, revocations, settings,
                this::issueNewFamily, dpop);
        this.clientCredentials = new ClientCredentialsGrant(grants, entitlements, accessTokens, events, settings, dpop);
        this.dpop = dpop;
        // Every series this class counts exists from the start, at 0: the same series on every node, and a
        // dashboard or a scrape-to-scrape comparison never meets a series that appears only after its first event.
        for (String grantType : SUPPORTED_GRANTS) {
            requests.initLabelValues(grantType, "success");
            for (OAuthError error : OAuthError.values()) {
                requests.initLabelValues(grantType, error.code());
            }
            duration.initLabelValues(grantType);
        }
        Counter lockouts = TokenMetrics.lockouts(metrics);
        for (LoginLocked.Scope scope : LoginLocked.Scope.values()) {
            lockouts.initLabelValues(scope.name().toLowerCase());
        }
        for (String name : List.of("refresh.unknown", "refresh.reused", "refresh.retried", "projection.unconfirmed",
                "idp.unavailable", "logins.blocked")) {
            metrics.meter("tollgate." + name);
        }
    }

    /** @param resources every {@code resource} value sent (RFC 8707), in order; empty when none */
    public TokenResponse grant(Map<String, String> form, List<String> resources, String authorization, String ip) {
        return grant(form, resources, authorization, ip, List.of());
    }

    /**
     * @param dpopProofs every {@code DPoP} header value of the request (RFC 9449), empty when none: a valid proof
     *                   binds the tokens to its key ({@link DpopBinding#keyFor})
     */
    public TokenResponse grant(Map<String, String> form, List<String> resources, String authorization, String ip,
                               List<String> dpopProofs) {
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw OAuthException.invalidRequest("grant_type is required");
        }
        if (!SUPPORTED_GRANTS.contains(grantType)) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE,
                    "supported: " + String.join(", ", SUPPORTED_GRANTS));
        }
        ClientCredentials credentials = ClientCredentials.from(authorization, form);
        long start = System.nanoTime();
        try {
            TokenResponse response = switch (grantType) {
                case "password" -> password(form, resources, credentials, ip, dpopProofs);
                case AuthorizationCodeGrant.GRANT_TYPE -> codeGrant.exchange(client(credentials, ip), form, resources, ip,
                        dpopProofs);
                case "refresh_token" -> refresh(form, resources, credentials, ip, dpopProofs);
                case ClientCredentialsGrant.GRANT_TYPE ->
                        clientCredentials.issue(client(credentials, ip), form, resources, ip, dpopProofs);
                default -> throw new IllegalStateException("no dispatch for supported grant " + grantType);
            };
            count(grantType, "success");
            return response;
        } catch (OAuthException e) {
            count(grantType, e.error().code());
            throw e;
        } finally {
            duration.labelValues(grantType).observe((System.nanoTime() - start) / 1e9);
        }
    }

    /** The password checks of the password grant, shared with the hosted login page of the code flow. */
    public PasswordLogin logins() {
        return logins;
    }

    /** The client, through the one guarded authenticator (a locked address gets no PBKDF2 work). */
    private ApplicationRecord client(ClientCredentials credentials, String ip) {
        return clients.client(credentials, ip);
    }

    TokenResponse password(Map<String, String> form, List<String> resourceValues, ClientCredentials credentials,
                           String ip, List<String> dpopProofs) {
        ApplicationRecord client = client(credentials, ip);
        String jkt = dpop.keyFor(client, dpopProofs);
        String username = form.get("username");
        String password = form.get("password");
        // an all-space username is an omitted one (as an empty value is): no user is called that, and the audit
        // event of a failure needs the name that was tried
        if (username == null || password == null || username.isBlank()) {
            throw OAuthException.invalidRequest("username and password are required");
        }
        if (username.length() > 256 || username.chars().anyMatch(Character::isISOControl)) {
            throw OAuthException.invalidGrant(BAD_CREDENTIALS);
        }
        List<Entitlements.Usable> usable = grants.usable(client, "password");
        Set<String> requested = ScopePolicy.parse(form.get("scope"));
        Set<String> resources = ResourceIndicators.parse(resourceValues);
        if (resources != null) {
            ResourceIndicators.requireAmong(resources, ResourceIndicators.offered(usable));
        }
        PasswordLogin.Success login = logins.check(client, "password", username, password, usable, requested,
                resources, ip);
        return issueNewFamily(RandomTokens.id(), login.user(), client, login.entitled(),
                ScopePolicy.format(login.scope()), resources, ip, jkt);
    }

    /**
     * @param resources the APIs the login named (RFC 8707), the family's fixed audience; null when none
     * @param jkt       the DPoP key the access token is bound to, and a public client's refresh tokens (RFC 9449 §5);
     *                  null when the request carried no proof
     */
    private TokenResponse issueNewFamily(String familyId, String user, ApplicationRecord client,
                                         Entitlements.Entitled entitled, String scope, Set<String> resources,
                                         String ip, String jkt) {
        Instant now = Instant.now();
        String refreshToken = RandomTokens.generate(256);
        // with an absolute session lifetime, no refresh token of the family outlives the session
        Instant refreshExpires = Instant.ofEpochSecond(RefreshPolicy.of(entitled).capExpiry(
                now.plus(settings.getRefreshTokenLifetime().toJavaDuration()).getEpochSecond(), now.toEpochMilli()));
        Family family = new Family(familyId, user, client.clientId(), 0, Hashes.sha256(refreshToken),
                now.toEpochMilli(), refreshExpires.getEpochSecond(), scope, entitled.primary().subscriptionId(),
                entitled.primary().planId(), resources == null ? "" : String.join(" ", resources),
                client.clientType() == ApplicationRecord.ClientType.PUBLIC ? jkt : null);
        families.create(family, now.getEpochSecond());
        AccessTokens.Issued access = accessTokens.issue(user, client.clientId(), entitled.audience(), scope,
                family.familyId(), now, jkt);
        try {
            events.emit(new LoginSucceeded(user, client.clientId(), client.applicationId(), family.subscriptionId(),
                    family.planId(), family.familyId(), 0, family.hash(), access.jti(), scope, access.expiresAt(),
                    refreshExpires, ip, resources == null ? null : List.copyOf(resources),
                    family.dpopBound() ? family.jkt() : null));
        } catch (EventsUnavailableException e) {
            families.delete(family);
            throw OAuthException.unavailable("the service cannot record the login now, try again later",
                    settings.getRetryAfter().toJavaDuration());
        }
        LOG.info("event=login.succeeded user={} client={} family={} jti={}", user, client.clientId(),
                family.familyId(), access.jti());
        return new TokenResponse(access.token(), TokenResponse.typeFor(jkt),
                settings.getAccessTokenLifetime().toJavaDuration().toSeconds(), refreshToken, scope);
    }

    TokenResponse refresh(Map<String, String> form, List<String> resourceValues, ClientCredentials credentials,
                          String ip, List<String> dpopProofs) {
        ApplicationRecord client = client(credentials, ip);
        String jkt = dpop.keyFor(client, dpopProofs);
        String token = form.get("refresh_token");
        if (token == null) {
            throw OAuthException.invalidRequest("refresh_token is required");
        }
        List<Entitlements.Usable> usable = grants.usable(client, "refresh_token");
        Set<String> requested = ScopePolicy.parse(form.get("scope"));
        Set<String> resources = ResourceIndicators.parse(resourceValues);
        Optional<BruteForceGuard.Lock> lock = guard.locked(null, ip);
        if (lock.isPresent()) {
            throw OAuthException.invalidGrant(BAD_REFRESH);
        }
        String hash = Hashes.sha256(token);
        RefreshFamilies.Lookup lookup = token.length() > 512 ? RefreshFamilies.Lookup.NOT_OURS : families.lookup(hash);
        // Redis lost and the projection not rebuilt yet: the family may simply not be back. Refusing the token
        // (invalid_grant) would log the user out for good; every decision below also reads projected state.
        if (!lookup.confirmed()) {
            throw unconfirmed("refresh_token");
        }
        Optional<Family> found = lookup.family();
        // An unknown refresh token is not counted against the address: 256 random bits cannot be guessed, and
        // the usual unknown token is a phone's expired one. Behind carrier-grade NAT, where thousands of phones
        // share an address, counting those would lock everybody's logins out (the address check above stays).
        if (found.isEmpty()) {
            metrics.meter("tollgate.refresh.unknown").mark();
            throw OAuthException.invalidGrant(BAD_REFRESH);
        }
        Family family = found.get();
        if (!family.client().equals(client.clientId())) {
            metrics.meter("tollgate.refresh.unknown").mark();
            throw OAuthException.invalidGrant(BAD_REFRESH);
        }
        // A bound family's token without a proof by its key is refused before rotation: the family stays the
        // key holder's (RFC 9449 §5); a stolen refresh token alone is worth nothing.
        if (family.dpopBound() && !family.jkt().equals(jkt)) {
            throw OAuthException.invalidGrant(jkt == null ? BOUND_REFRESH_NO_PROOF : BOUND_REFRESH_OTHER_KEY);
        }
        Instant now = Instant.now();
        long ttl = settings.revocationLifetime().toSeconds();
        String user = family.user();
        String scope = family.scope();
        Entitlements.Entitled target = null; // the APIs of this access token
        String tokenScope = null;
        String newToken = RandomTokens.generate(256);
        String newHash = Hashes.sha256(newToken);
        long newExpires = now.plus(settings.getRefreshTokenLifetime().toJavaDuration()).getEpochSecond();
        AccessTokens.Issued access = null;
        RefreshFamilies.Retry retry = RefreshFamilies.Retry.NONE;
        if (family.hash().equals(hash)) {
            // Only a current token is re-checked; an old one goes straight to the script, which revokes the family.
            requireNotDenied(user, client, "refresh_token", ip);
            Set<String> groups = currentGroups(user, client, ip);
            // groups == null: the IdP cannot look users up (HTTP); group entitlement was decided at login.
            Entitlements.Entitled entitled = entitlements.evaluate(usable, groups);
            // a family whose login named resources keeps to those APIs (those the user is still entitled to)
            if (entitled != null && !family.audience().isEmpty()) {
                entitled = entitled.only(ScopePolicy.split(family.audience()));
            }
            if (entitled == null) {
                fail(user, client, "refresh_token", LoginFailed.Reason.NOT_ENTITLED, ip);
                throw OAuthException.invalidGrant("the user is no longer entitled to use this application's APIs");
            }
            target = entitled;
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
                fail(user, client, "refresh_token", LoginFailed.Reason.INVALID_SCOPE, ip);
                throw new OAuthException(OAuthError.INVALID_SCOPE, "none of the requested scopes can be granted");
            }
            scope = ScopePolicy.format(narrowed);
            tokenScope = ScopePolicy.format(forTarget);
            // The plans of the family's APIs as they are now: a shorter session set since the login applies at once.
            RefreshPolicy policy = RefreshPolicy.of(entitled);
            if (policy.sessionOver(family.createdAtMillis(), now)) {
                fail(user, client, "refresh_token", LoginFailed.Reason.INVALID_REFRESH_TOKEN, ip);
                throw OAuthException.invalidGrant("the session has reached its maximum lifetime, log in again");
            }
            newExpires = policy.capExpiry(newExpires, family.createdAtMillis());
            // Signed before the rotation: with a reuse interval the successor pair is kept (sealed) by the same
            // atomic step that rotates, so a retry racing this request already finds it.
            access = accessTokens.issue(user, client.clientId(), target.audience(), tokenScope, family.familyId(),
                    now, jkt);
            if (policy.reuseSeconds() > 0) {
                RetrySeal.Pair pair = new RetrySeal.Pair(access.token(), TokenResponse.typeFor(jkt),
                        access.expiresAt().getEpochSecond(),
                        newToken, tokenScope);
                retry = new RefreshFamilies.Retry(policy.reuseSeconds(), RetrySeal.seal(token, hash, pair));
            }
        }
        RefreshFamilies.Rotation rotation = families.rotate(hash, newHash, now.getEpochSecond(), newExpires, ttl, scope,
                retry);
        switch (rotation.outcome()) {
            case ROTATED -> {
                Family rotated = rotation.family();
                events.emit(new TokenRefreshed(user, client.clientId(), rotated.familyId(), rotated.generation(),
                        newHash, access.jti(), rotated.scope(), access.expiresAt(),
                        Instant.ofEpochSecond(newExpires), ip, rotated.subscriptionId()));
                LOG.info("event=token.refreshed user={} client={} family={} generation={} jti={}", user,
                        client.clientId(), rotated.familyId(), rotated.generation(), access.jti());
                return new TokenResponse(access.token(), TokenResponse.typeFor(jkt),
                        settings.getAccessTokenLifetime().toJavaDuration().toSeconds(), newToken, tokenScope);
            }
            case RETRIED -> {
                return retried(token, hash, rotation, ip, now);
            }
            case REUSED -> {
                Family reused = rotation.family();
                events.revocation(new Revocation(Revocation.Kind.FAMILY, reused.user(), reused.client(),
                        reused.familyId(), null, Instant.ofEpochSecond(now.getEpochSecond()),
                        now.plusSeconds(ttl), "token-api", "refresh token reuse"));
                events.emit(new RefreshReused(reused.user(), reused.client(), reused.familyId(), ip));
                LOG.warn("event=refresh.reused user={} client={} family={}", reused.user(), reused.client(),
                        reused.familyId());
                metrics.meter("tollgate.refresh.reused").mark();
                throw OAuthException.invalidGrant(BAD_REFRESH);
            }
            case UNCONFIRMED -> throw unconfirmed("refresh_token");
            default -> {
                fail(user, client, "refresh_token", LoginFailed.Reason.REVOKED, ip);
                throw OAuthException.invalidGrant(BAD_REFRESH);
            }
        }
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

    private OAuthException unconfirmed(String grantType) {
        return logins.unconfirmed(grantType);
    }

    private void requireNotDenied(String user, ApplicationRecord client, String grant, String ip) {
        logins.requireNotDenied(user, client, grant, ip);
    }

    /**
     * The user's groups now, {@code null} when the IdP cannot look users up; a user the IdP no longer knows (or, for
     * the HTTP provider, reports disabled) is refused whatever the entitlement rules require.
     */
    private Set<String> currentGroups(String user, ApplicationRecord client, String ip) {
        Optional<Identity> identity;
        try (Timer ignored = idpLatency.startTimer()) {
            identity = idp.lookup(user);
        } catch (IdentityProviderUnavailableException e) {
            metrics.meter("tollgate.idp.unavailable").mark();
            throw OAuthException.unavailable("the identity provider is unavailable, try again later",
                    settings.getRetryAfter().toJavaDuration());
        }
        if (identity == null) {
            return null;
        }
        if (identity.isEmpty()) {
            fail(user, client, "refresh_token", LoginFailed.Reason.NOT_ENTITLED, ip);
            throw OAuthException.invalidGrant("the user is unknown to or disabled in the identity provider");
        }
        return identity.get().groups();
    }

    private void fail(String user, ApplicationRecord client, String grantType, LoginFailed.Reason reason, String ip) {
        logins.fail(user, client, grantType, reason, ip);
    }

    private void count(String grantType, String outcome) {
        requests.labelValues(grantType, outcome).inc();
    }
}
