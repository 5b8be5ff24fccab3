package io.tollgate.revocation.core;

import io.tollgate.revocation.redis.FamilyWrite;
import io.tollgate.revocation.redis.RedisSink;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.RefreshReused;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.redis.RedisKeys;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns one event of {@code tollgate.revocations}, {@code tollgate.policy-decisions} or
 * {@code tollgate.auth-events} into Redis writes. Used both by the live topology and by the rebuild, so
 * both project exactly the same way; every write is idempotent, so applying an event twice is harmless.
 */
public final class ProjectionApplier {
    private final RedisSink sink;
    private final Clock clock;
    private final Duration familyTtl;

    /** @param familyTtl how long a family revoked by {@code refresh.reused} stays marked (the refresh lifetime) */
    public ProjectionApplier(RedisSink sink, Clock clock, Duration familyTtl) {
        this.sink = sink;
        this.clock = clock;
        this.familyTtl = familyTtl;
    }

    /** Applies {@code event}; returns false when the event is of a kind the projection ignores or no longer matters. */
    public boolean apply(Event<?> event) {
        if (event == null) {
            return false;
        }
        Object data = event.data();
        if (data instanceof Revocation r) {
            return revocation(r);
        } else if (data instanceof PolicyDecision d) {
            return decision(d);
        } else if (data instanceof LoginSucceeded l) {
            return login(l, event.time().toEpochMilli());
        } else if (data instanceof TokenRefreshed t) {
            return refreshed(t);
        } else if (data instanceof RefreshReused r) {
            return reused(r, event.time().getEpochSecond());
        }
        return false;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private boolean revocation(Revocation r) {
        long expireAt = r.expiresAt().getEpochSecond();
        if (expireAt <= now()) {
            return false; // the fact can no longer affect a live token
        }
        String key = RedisKeys.revocation(r);
        long at = r.notBefore().getEpochSecond();
        return switch (r.kind()) {
            case USER, USER_CLIENT, CLIENT -> {
                sink.notBefore(key, at, expireAt);
                yield true;
            }
            case FAMILY, TOKEN -> {
                sink.marker(key, at, expireAt);
                yield true;
            }
        };
    }

    private boolean decision(PolicyDecision d) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("outcome", d.outcome().name());
        fields.put("policy", d.policy());
        fields.put("reason", d.reason() == null ? "" : d.reason());
        fields.put("decidedAt", Long.toString(d.decidedAt().getEpochSecond()));
        sink.decision(RedisKeys.decision(d.userId()), fields, d.decidedAt().getEpochSecond());
        return true;
    }

    private boolean login(LoginSucceeded l, long eventMillis) {
        long expireAt = l.refreshExpiresAt().getEpochSecond();
        if (expireAt <= now()) {
            return false;
        }
        sink.family(new FamilyWrite(l.familyId(), l.userId(), l.clientId(), l.generation(), l.refreshTokenHash(),
                eventMillis, expireAt, l.scope(), l.subscriptionId(), l.planId(),
                l.audience() == null ? null : String.join(" ", l.audience()), l.jkt()));
        return true;
    }

    private boolean refreshed(TokenRefreshed t) {
        long expireAt = t.refreshExpiresAt().getEpochSecond();
        if (expireAt <= now()) {
            return false;
        }
        sink.family(new FamilyWrite(t.familyId(), t.userId(), t.clientId(), t.generation(), t.refreshTokenHash(),
                null, expireAt, t.scope(), null, null, null));
        return true;
    }

    private boolean reused(RefreshReused r, long at) {
        long expireAt = at + familyTtl.toSeconds();
        if (expireAt <= now()) {
            return false;
        }
        sink.marker(RedisKeys.revokedFamily(r.familyId()), at, expireAt);
        return true;
    }
}
