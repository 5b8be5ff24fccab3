package io.tollgate.tokenapi.core;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.datapoints.Timer;
import io.prometheus.metrics.core.metrics.Histogram;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.idp.Candidate;
import io.tollgate.tokenapi.idp.Identity;
import io.tollgate.tokenapi.idp.IdentityProvider;
import io.tollgate.tokenapi.idp.IdentityProviderUnavailableException;
import io.tollgate.tokenapi.kafka.AuthEventPublisher;
import io.tollgate.tokenapi.redis.BruteForceGuard;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A user's password checked for a client, as the password grant and the hosted login page of the authorization code
 * flow both do: lockout (per user and per address), credentials (IdP), block and policy decision, entitlement,
 * resources and scope; {@code login.failed} and {@code login.locked} emitted on the way ({@link GrantFailures}).
 * Every wrong-credential outcome (unknown user, wrong password, locked) is the same {@code invalid_grant}
 * {@link #BAD_CREDENTIALS}.
 */
public final class PasswordLogin {
    public static final String BAD_CREDENTIALS = "invalid username or password";

    private final Entitlements entitlements;
    private final IdentityProvider idp;
    private final BruteForceGuard guard;
    private final GrantFailures failures;
    private final AuthEventPublisher events;
    private final Histogram idpLatency;

    public PasswordLogin(Entitlements entitlements, IdentityProvider idp, BruteForceGuard guard, GrantFailures failures,
                         AuthEventPublisher events, MetricRegistry metrics) {
        this.entitlements = entitlements;
        this.idp = idp;
        this.guard = guard;
        this.failures = failures;
        this.events = events;
        this.idpLatency = TokenMetrics.identityProvider(metrics);
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
        // as typed, folded by the guard (CanonicalIds.lockoutKey). The password is then checked on the user found
        // here, without another lookup.
        Candidate candidate = find(username);
        String account = candidate.account();
        BruteForceGuard.Standing standing = guard.standing(account, ip);
        if (standing.lock().isPresent()) {
            failures.locked(account, client, ip, standing.lock().get());
            throw OAuthException.invalidGrant(BAD_CREDENTIALS);
        }
        Optional<Identity> identity;
        try (Timer ignored = idpLatency.startTimer()) {
            identity = idp.authenticate(candidate, Secret.of(password));
        } catch (IdentityProviderUnavailableException e) {
            throw failures.idpUnavailable(e);
        }
        if (identity.isEmpty()) {
            Optional<BruteForceGuard.Lock> started = guard.recordFailure(account, ip);
            events.emit(new LoginFailed(account, client.clientId(), grantType,
                    LoginFailed.Reason.INVALID_CREDENTIALS, ip));
            started.ifPresent(l -> failures.locked(account, client, ip, l));
            throw OAuthException.invalidGrant(BAD_CREDENTIALS);
        }
        String user = identity.get().subject();
        if (!BruteForceGuard.userKey(user).equals(BruteForceGuard.userKey(account))) {
            // the provider named the user only now (HTTP): the canonical id's lockout holds for every spelling
            BruteForceGuard.Standing userStanding = guard.standing(user, ip);
            if (userStanding.lock().isPresent()) {
                failures.locked(user, client, ip, userStanding.lock().get());
                throw OAuthException.invalidGrant(BAD_CREDENTIALS);
            }
            resetIfOnRecord(account, standing);
            standing = userStanding;
        }
        resetIfOnRecord(user, standing);
        failures.requireNotDenied(user, client, grantType, ip);
        Entitlements.Entitled entitled = entitlements.evaluate(usable, identity.get().groups());
        if (entitled == null) {
            failures.fail(user, client, grantType, LoginFailed.Reason.NOT_ENTITLED, ip);
            throw OAuthException.invalidGrant("the user is not entitled to use this application's APIs");
        }
        if (resources != null) {
            try {
                entitled = entitled.narrowTo(resources);
            } catch (OAuthException e) {
                failures.fail(user, client, grantType, LoginFailed.Reason.NOT_ENTITLED, ip);
                throw e;
            }
        }
        Set<String> scope = ScopePolicy.grant(requested, entitled.scopes());
        if (scope.isEmpty()) {
            failures.fail(user, client, grantType, LoginFailed.Reason.INVALID_SCOPE, ip);
            throw new OAuthException(OAuthError.INVALID_SCOPE, "none of the requested scopes can be granted");
        }
        return new Success(user, identity.get().groups(), entitled, scope);
    }

    /**
     * Forgets the user's failures, unless the lockout read found none: a failure counted since by a concurrent wrong
     * password then stays counted, as it would had it come after this login.
     */
    private void resetIfOnRecord(String user, BruteForceGuard.Standing standing) {
        if (standing.userOnRecord()) {
            guard.reset(user);
        }
    }

    /** The user a typed name stands for (see {@link IdentityProvider#find}); 503 when the IdP cannot answer. */
    private Candidate find(String username) {
        try (Timer ignored = idpLatency.startTimer()) {
            return idp.find(username);
        } catch (IdentityProviderUnavailableException e) {
            throw failures.idpUnavailable(e);
        }
    }
}
