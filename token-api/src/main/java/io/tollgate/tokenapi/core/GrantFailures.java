package io.tollgate.tokenapi.core;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.LoginLocked;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.config.TokenSettings;
import io.tollgate.tokenapi.idp.IdentityProviderUnavailableException;
import io.tollgate.tokenapi.kafka.AuthEventPublisher;
import io.tollgate.tokenapi.redis.BruteForceGuard;
import io.tollgate.tokenapi.redis.RevocationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every grant that names a user shares when it refuses one: the user's standing (an operator's block, the
 * policy decision), the audit events of a failed or locked login, and the 503 answers for a projection or an
 * identity provider that cannot answer now. A refusal here never says more than the grant's own error would.
 */
public final class GrantFailures {
    private static final Logger LOG = LoggerFactory.getLogger(GrantFailures.class);
    /**
     * A user whose standing refuses them (a policy DENY, an operator's block): the same words for both, which tell
     * the client no more than that this user may not sign in.
     */
    public static final String ACCOUNT_REFUSED = "access for this user has been denied by policy";

    private final RevocationStore revocations;
    private final UserBlocks blocks;
    private final AuthEventPublisher events;
    private final TokenSettings settings;
    private final MetricRegistry metrics;
    private final Counter lockouts;

    public GrantFailures(RevocationStore revocations, UserBlocks blocks, AuthEventPublisher events,
                         TokenSettings settings, MetricRegistry metrics) {
        this.revocations = revocations;
        this.blocks = blocks;
        this.events = events;
        this.settings = settings;
        this.metrics = metrics;
        this.lockouts = TokenMetrics.lockouts(metrics);
        // Every series counted here exists from the start, at 0: the same series on every node, and a dashboard
        // never meets a series that appears only after its first event.
        for (LoginLocked.Scope scope : LoginLocked.Scope.values()) {
            lockouts.initLabelValues(scope.name().toLowerCase());
        }
        for (String name : new String[] {"projection.unconfirmed", "idp.unavailable", "logins.blocked"}) {
            metrics.meter("tollgate." + name);
        }
    }

    /**
     * The user check of every grant that names a user (password, refresh_token, authorization_code, and so the
     * hosted login): refuses a user an operator blocked or the policy denied, and answers 503 while the projection
     * cannot confirm either way. Runs only once the user is known (after the password is right), so it never tells
     * an unauthenticated caller whether a name is blocked.
     */
    public void requireNotDenied(String user, ApplicationRecord client, String grant, String ip) {
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
    public OAuthException unconfirmed(String grantType) {
        metrics.meter("tollgate.projection.unconfirmed").mark();
        LOG.warn("event=token_state.unconfirmed grant={} reason=projection_not_ready", grantType);
        return OAuthException.unavailable("token state is being restored, try again later",
                settings.retryAfter.toJavaDuration());
    }

    /** 503 for an identity provider that gave no answer: never a wrong password, so nothing is counted. */
    public OAuthException idpUnavailable(IdentityProviderUnavailableException e) {
        metrics.meter("tollgate.idp.unavailable").mark();
        LOG.warn("event=idp.unavailable reason=\"{}\"", e.getMessage());
        return OAuthException.unavailable("the identity provider is unavailable, try again later",
                settings.retryAfter.toJavaDuration());
    }

    /** A lockout in force or just started: counted, and {@code login.locked} on the audit stream. */
    public void locked(String username, ApplicationRecord client, String ip, BruteForceGuard.Lock lock) {
        lockouts.labelValues(lock.scope().name().toLowerCase()).inc();
        events.emit(new LoginLocked(username, client.clientId(), ip, lock.scope(), lock.failures(), lock.until()));
        LOG.info("event=login.locked user={} client={} scope={} until={}", username, client.clientId(), lock.scope(),
                lock.until());
    }

    /** A refused grant for a known user: {@code login.failed} on the audit stream. */
    public void fail(String user, ApplicationRecord client, String grantType, LoginFailed.Reason reason, String ip) {
        events.emit(new LoginFailed(user, client.clientId(), grantType, reason, ip));
        LOG.info("event=login.failed user={} client={} grant={} reason={}", user, client.clientId(), grantType, reason);
    }
}
