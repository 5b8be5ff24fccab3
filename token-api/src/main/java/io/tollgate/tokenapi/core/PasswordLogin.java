package io.tollgate.tokenapi.core;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.datapoints.Timer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.LoginLocked;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.config.TokenSettings;
import io.tollgate.tokenapi.idp.Identity;
import io.tollgate.tokenapi.idp.IdentityProvider;
import io.tollgate.tokenapi.idp.IdentityProviderUnavailableException;
import io.tollgate.tokenapi.kafka.AuthEventPublisher;
import io.tollgate.tokenapi.redis.BruteForceGuard;
import io.tollgate.tokenapi.redis.RevocationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A user's password checked for a client, as the password grant and the hosted login page of the authorization code
 * flow both do: lockout (per user and per address), credentials (IdP), block and policy decision, entitlement,
 * resources and scope; {@code login.failed} and {@code login.locked} emitted on the way. Every wrong-credential outcome (unknown
 * user, wrong password, locked) is the same {@code invalid_grant} {@link #BAD_CREDENTIALS}.
 */
public final class PasswordLogin {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordLogin.class);
    public static final String BAD_CREDENTIALS = "invalid username or password";
    /**
     * A user whose standing refuses them (a policy DENY, an operator's block): the same words for both, which tell
     * the client no more than that this user may not sign in.
     */
    public static final String ACCOUNT_REFUSED = "access for this user has been denied by policy";

    private final Entitlements entitlements;
    private final IdentityProvider idp;
    private final BruteForceGuard guard;
    private final RevocationStore revocations;
    private final UserBlocks blocks;
    private final AuthEventPublisher events;
    private final TokenSettings settings;
    private final MetricRegistry metrics;
    private final Histogram idpLatency;
    private final Counter lockouts;

    public PasswordLogin(Entitlements entitlements, IdentityProvider idp, BruteForceGuard guard,
                         RevocationStore revocations, UserBlocks blocks, AuthEventPublisher events,
                         TokenSettings settings, MetricRegistry metrics) {
        this.entitlements = entitlements;
        this.idp = idp;
        this.guard = guard;
        this.revocations = revocations;
        this.blocks = blocks;
        this.events = events;
        this.settings = settings;
        this.metrics = metrics;
        this.idpLatency = TokenMetrics.identityProvider(metrics);
        this.lockouts = TokenMetrics.lockouts(metrics);
    }

    /**
     * A login that passed every check.
     *
     * @param groups the user's groups as the IdP gave them at this login
     * @param scope  the granted scope (never empty)
     */
    public record Success(String user, Set<String> groups, Entitlements.Entitled entitled, Set<String> scope) {
    }

    /**
     * Checks {@code username}/{@code password} for {@code client}.
     *
     * @param grantType the grant named in the audit events ({@code password}, {@code authorization_code})
     * @param resources the RFC 8707 APIs asked for, already known to be among the client's; null when none
     * @throws OAuthException invalid_grant (credentials, lockout, policy, entitlement), invalid_scope,
     *                        invalid_target, or 503 when the IdP or the projection cannot answer
     */
    public Success check(ApplicationRecord client, String grantType, String username, String password,
                         List<Entitlements.Usable> usable, Set<String> requested, Set<String> resources, String ip) {
        if (username.length() > 256 || username.chars().anyMatch(Character::isISOControl)) {
            throw OAuthException.invalidGrant(BAD_CREDENTIALS);
        }
        // Lockout counts on the canonical id the provider resolves the typed name to (alice for "Alice"); a name it
        // does not know, or a provider that cannot tell before the password is right (HTTP), counts on the name
        // as typed, folded by the guard (CanonicalIds.lockoutKey).
        Optional<String> resolved = resolve(username);
        String account = resolved != null && resolved.isPresent() ? resolved.get() : username;
        Optional<BruteForceGuard.Lock> lock = guard.locked(account, ip);
        if (lock.isPresent()) {
            locked(account, client, ip, lock.get());
            throw OAuthException.invalidGrant(BAD_CREDENTIALS);
        }
        Optional<Identity> identity;
        try (Timer ignored = idpLatency.startTimer()) {
            identity = idp.authenticate(account, Secret.of(password));
        } catch (IdentityProviderUnavailableException e) {
            throw idpUnavailable(e);
        }
        if (identity.isEmpty()) {
            Optional<BruteForceGuard.Lock> started = guard.recordFailure(account, ip);
            events.emit(new LoginFailed(account, client.clientId(), grantType,
                    LoginFailed.Reason.INVALID_CREDENTIALS, ip));
            started.ifPresent(l -> locked(account, client, ip, l));
            throw OAuthException.invalidGrant(BAD_CREDENTIALS);
        }
        String user = identity.get().subject();
        if (!BruteForceGuard.userKey(user).equals(BruteForceGuard.userKey(account))) {
            // the provider named the user only now (HTTP): the canonical id's lockout holds for every spelling
            Optional<BruteForceGuard.Lock> userLock = guard.locked(user, ip);
            if (userLock.isPresent()) {
                locked(user, client, ip, userLock.get());
                throw OAuthException.invalidGrant(BAD_CREDENTIALS);
            }
            guard.reset(account);
        }
        guard.reset(user);
        requireNotDenied(user, client, grantType, ip);
        Entitlements.Entitled entitled = entitlements.evaluate(usable, identity.get().groups());
        if (entitled == null) {
            fail(user, client, grantType, LoginFailed.Reason.NOT_ENTITLED, ip);
            throw OAuthException.invalidGrant("the user is not entitled to use this application's APIs");
        }
        if (resources != null) {
            try {
                entitled = entitled.narrowTo(resources);
            } catch (OAuthException e) {
                fail(user, client, grantType, LoginFailed.Reason.NOT_ENTITLED, ip);
                throw e;
            }
        }
        Set<String> scope = ScopePolicy.grant(requested, entitled.scopes());
        if (scope.isEmpty()) {
            fail(user, client, grantType, LoginFailed.Reason.INVALID_SCOPE, ip);
            throw new OAuthException(OAuthError.INVALID_SCOPE, "none of the requested scopes can be granted");
        }
        return new Success(user, identity.get().groups(), entitled, scope);
    }

    /**
     * The user check of every grant that names a user (password, refresh_token, authorization_code, and so the
     * hosted login): refuses a user an operator blocked or the policy denied, and answers 503 while the projection
     * cannot confirm either way. Runs only once the user is known (after the password is right), so it never tells
     * an unauthenticated caller whether a name is blocked.
     */
    void requireNotDenied(String user, ApplicationRecord client, String grant, String ip) {
        if (blocks.find(user).isPresent()) {
            metrics.meter("tollgate.logins.blocked").mark();
            fail(user, client, grant, LoginFailed.Reason.BLOCKED, ip);
            throw OAuthException.invalidGrant(ACCOUNT_REFUSED);
        }
        switch (revocations.decision(user)) {
            case REVOKED -> {
                fail(user, client, grant, LoginFailed.Reason.POLICY_DENIED, ip);
                throw OAuthException.invalidGrant(ACCOUNT_REFUSED);
            }
            case UNCONFIRMED -> throw unconfirmed(grant);
            case CLEAR -> {
            }
        }
    }

    /**
     * 503 while revocation-stream's projection is not {@code ready} (Redis lost, rebuild running): token state
     * that Redis does not hold yet is neither trusted nor refused; the client retries after Retry-After.
     */
    OAuthException unconfirmed(String grantType) {
        metrics.meter("tollgate.projection.unconfirmed").mark();
        LOG.warn("event=token_state.unconfirmed grant={} reason=projection_not_ready", grantType);
        return OAuthException.unavailable("token state is being restored, try again later",
                settings.getRetryAfter().toJavaDuration());
    }

    /** The canonical id of a typed name (see {@link IdentityProvider#resolve}); 503 when the IdP cannot answer. */
    private Optional<String> resolve(String username) {
        try (Timer ignored = idpLatency.startTimer()) {
            return idp.resolve(username);
        } catch (IdentityProviderUnavailableException e) {
            throw idpUnavailable(e);
        }
    }

    private OAuthException idpUnavailable(IdentityProviderUnavailableException e) {
        metrics.meter("tollgate.idp.unavailable").mark();
        LOG.warn("event=idp.unavailable reason=\"{}\"", e.getMessage());
        return OAuthException.unavailable("the identity provider is unavailable, try again later",
                settings.getRetryAfter().toJavaDuration());
    }

    private void locked(String username, ApplicationRecord client, String ip, BruteForceGuard.Lock lock) {
        lockouts.labelValues(lock.scope().name().toLowerCase()).inc();
        events.emit(new LoginLocked(username, client.clientId(), ip, lock.scope(), lock.failures(), lock.until()));
        LOG.info("event=login.locked user={} client={} scope={} until={}", username, client.clientId(), lock.scope(),
                lock.until());
    }

    void fail(String user, ApplicationRecord client, String grantType, LoginFailed.Reason reason, String ip) {
        events.emit(new LoginFailed(user, client.clientId(), grantType, reason, ip));
        LOG.info("event=login.failed user={} client={} grant={} reason={}", user, client.clientId(), grantType, reason);
    }
}
