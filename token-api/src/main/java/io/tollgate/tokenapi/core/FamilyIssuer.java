package io.tollgate.tokenapi.core;

import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.crypto.RandomTokens;
import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.api.TokenResponse;
import io.tollgate.tokenapi.config.TokenSettings;
import io.tollgate.tokenapi.kafka.AuthEventPublisher;
import io.tollgate.tokenapi.kafka.EventsUnavailableException;
import io.tollgate.tokenapi.redis.Family;
import io.tollgate.tokenapi.redis.RefreshFamilies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A login's outcome, as the password and authorization code grants both issue it: a new refresh family, its first
 * access token, and {@code login.succeeded}, in that order, so that an event only tells a final outcome. A login the
 * audit stream cannot record is undone (the family deleted) and answered 503.
 */
public final class FamilyIssuer {
    private static final Logger LOG = LoggerFactory.getLogger(FamilyIssuer.class);

    private final RefreshFamilies families;
    private final AccessTokens accessTokens;
    private final AuthEventPublisher events;
    private final TokenSettings settings;

    public FamilyIssuer(RefreshFamilies families, AccessTokens accessTokens, AuthEventPublisher events,
                        TokenSettings settings) {
        this.families = families;
        this.accessTokens = accessTokens;
        this.events = events;
        this.settings = settings;
    }

    /**
     * @param resources the APIs the login named (RFC 8707), the family's fixed audience; null when none
     * @param jkt       the DPoP key the access token is bound to, and a public client's refresh tokens (RFC 9449 §5);
     *                  null when the request carried no proof
     */
    public TokenResponse issue(String familyId, String user, ApplicationRecord client, Entitlements.Entitled entitled,
                               String scope, Set<String> resources, String ip, String jkt) {
        Instant now = Instant.now();
        String refreshToken = RandomTokens.generate(256);
        // with an absolute session lifetime, no refresh token of the family outlives the session
        Instant refreshExpires = Instant.ofEpochSecond(RefreshPolicy.of(entitled).capExpiry(
                now.plus(settings.refreshTokenLifetime.toJavaDuration()).getEpochSecond(), now.toEpochMilli()));
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
                    settings.retryAfter.toJavaDuration());
        }
        LOG.info("event=login.succeeded user={} client={} family={} jti={}", user, client.clientId(),
                family.familyId(), access.jti());
        return access.response(refreshToken, scope);
    }
}
