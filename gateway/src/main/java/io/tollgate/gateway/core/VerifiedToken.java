package io.tollgate.gateway.core;

import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.redis.RedisKeys;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The claims of an access token whose signature, type, issuer, audience and lifetime were verified: a user's token,
 * or a client token (client credentials grant: no {@code sid}, {@code subject} is the client id).
 * Verified tokens are cached, so what every request derives from the claims (the Redis keys of the
 * token's revocation state) is derived once per token here.
 */
public final class VerifiedToken {
    private final String subject;
    private final String clientId;
    private final String scope;
    private final Set<String> scopes;
    private final List<String> audience;
    private final String jti;
    private final String sid;
    private final long issuedAt;
    private final long expiresAt;
    private final String jkt;
    private volatile String[] stateKeys;
    private volatile EffectiveScopes effective;
    private volatile ConsumerUsername consumerUsername;
    private volatile Object stateMemo;

    public VerifiedToken(String subject, String clientId, String scope, Set<String> scopes, List<String> audience,
                         String jti, String sid, long issuedAt, long expiresAt) {
        this(subject, clientId, scope, scopes, audience, jti, sid, issuedAt, expiresAt, null);
    }

    /** @param jkt the {@code cnf.jkt} of a DPoP-bound token (RFC 9449 §6.1), null for a bearer token */
    public VerifiedToken(String subject, String clientId, String scope, Set<String> scopes, List<String> audience,
                         String jti, String sid, long issuedAt, long expiresAt, String jkt) {
        this.jkt = jkt;
        this.subject = subject;
        this.clientId = clientId;
        this.scope = scope;
        this.scopes = Set.copyOf(scopes);
        this.audience = List.copyOf(audience);
        this.jti = jti;
        this.sid = sid;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    public String subject() {
        return subject;
    }

    public String clientId() {
        return clientId;
    }

    public String scope() {
        return scope;
    }

    public Set<String> scopes() {
        return scopes;
    }

    public List<String> audience() {
        return audience;
    }

    public String jti() {
        return jti;
    }

    public String sid() {
        return sid;
    }

    public long issuedAt() {
        return issuedAt;
    }

    public long expiresAt() {
        return expiresAt;
    }

    /** A client token: issued to a client acting for itself, no user, no token family. */
    public boolean clientToken() {
        return sid == null;
    }

    /** The thumbprint of the DPoP key the token is bound to; null for a bearer token. */
    public String jkt() {
        return jkt;
    }

    /**
     * The token's state keys, in this order: revoked jti, revoked family, client not-before, user not-before,
     * user-client not-before, policy decision. A client token has no family and no user: its keys are the revoked
     * jti and the client not-before only, in that order. Do not modify the array.
     */
    public String[] stateKeys() {
        String[] keys = stateKeys;
        if (keys == null && clientToken()) {
            keys = new String[] {RedisKeys.revokedJti(jti), RedisKeys.clientNotBefore(clientId)};
            stateKeys = keys;
        } else if (keys == null) {
            keys = new String[] {
                    RedisKeys.revokedJti(jti),
                    RedisKeys.revokedFamily(sid),
                    RedisKeys.clientNotBefore(clientId),
                    RedisKeys.userNotBefore(subject),
                    RedisKeys.userClientNotBefore(subject, clientId),
                    RedisKeys.decision(subject),
            };
            stateKeys = keys;
        }
        return keys;
    }

    /**
     * What the token-state check last derived for this token (opaque here: the check's own record, which decides
     * whether it may still be used); null until the first check.
     */
    public Object stateMemo() {
        return stateMemo;
    }

    /** Replaces the token-state check's memo (a plain volatile write: the last check's verdict wins). */
    public void stateMemo(Object memo) {
        this.stateMemo = memo;
    }

    /**
     * The token's scopes that {@code plan} grants. A token's calls nearly always go to one API, so the last
     * answer is kept and reused while the registry hands out the same plan instance (a changed plan is a new
     * instance, so it is recomputed): no set or string is built per request.
     */
    public EffectiveScopes effectiveScopes(PlanRecord plan) {
        EffectiveScopes e = effective;
        if (e == null || e.plan() != plan) {
            e = EffectiveScopes.of(scopes, plan);
            effective = e;
        }
        return e;
    }

    /**
     * {@code X-Consumer-Username}: the subscription's application and the route's API, {@code <application>$<api>}.
     * Kept like {@link #effectiveScopes}: reused while the registry hands out the same subscription instance for the
     * same API, so no string is built per request.
     */
    public String consumerUsername(SubscriptionRecord subscription, String api) {
        ConsumerUsername c = consumerUsername;
        if (c == null || c.subscription() != subscription || !c.api().equals(api)) {
            c = new ConsumerUsername(subscription, api, subscription.applicationId() + "$" + api);
            consumerUsername = c;
        }
        return c.value();
    }

    /** {@link #consumerUsername} for one subscription instance and API. */
    private record ConsumerUsername(SubscriptionRecord subscription, String api, String value) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedToken t && issuedAt == t.issuedAt && expiresAt == t.expiresAt
                && subject.equals(t.subject) && clientId.equals(t.clientId) && scope.equals(t.scope)
                && scopes.equals(t.scopes) && audience.equals(t.audience) && jti.equals(t.jti) && Objects.equals(sid, t.sid)
                && Objects.equals(jkt, t.jkt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subject, clientId, jti, sid, issuedAt, expiresAt);
    }

    @Override
    public String toString() {
        return "VerifiedToken[subject=" + subject + ", clientId=" + clientId + ", scope=" + scope + ", jti=" + jti
                + ", sid=" + sid + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + ", jkt=" + jkt + "]";
    }
}
