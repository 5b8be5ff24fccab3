package io.tollgate.tokenapi.core;

import io.tollgate.shared.events.PlanRecord;

import java.time.Instant;
import java.util.List;

/**
 * A token family's refresh reuse interval and absolute session lifetime, from the plans (as the registry view holds
 * them now) of the APIs the family reaches. A family reaching several APIs gets the strictest: the shortest reuse
 * interval (one plan at 0 turns retries off) and the shortest session lifetime that is set (0 = none).
 *
 * @param reuseSeconds    how long the token just rotated may be presented again for the same successor pair; 0 = off
 * @param sessionSeconds  the family's absolute lifetime from its login; 0 = bounded by the refresh lifetime only
 */
public record RefreshPolicy(long reuseSeconds, long sessionSeconds) {

    public static RefreshPolicy of(Entitlements.Entitled entitled) {
        return of(entitled.apis().stream().map(a -> a.usable().plan()).toList());
    }

    static RefreshPolicy of(List<PlanRecord> plans) {
        long reuse = Long.MAX_VALUE;
        long session = 0;
        for (PlanRecord plan : plans) {
            reuse = Math.min(reuse, plan.refreshReuseSeconds());
            long s = plan.sessionLifetimeSeconds();
            if (s > 0 && (session == 0 || s < session)) {
                session = s;
            }
        }
        return new RefreshPolicy(plans.isEmpty() ? 0 : reuse, session);
    }

    /** When a family created at {@code createdAtMillis} ends; {@code Long.MAX_VALUE} without a session lifetime. */
    public long sessionEndSeconds(long createdAtMillis) {
        return sessionSeconds == 0 ? Long.MAX_VALUE : Math.floorDiv(createdAtMillis, 1000) + sessionSeconds;
    }

    /** A refresh token's expiry: {@code wanted}, but never after the session's end. */
    public long capExpiry(long wantedSeconds, long createdAtMillis) {
        return Math.min(wantedSeconds, sessionEndSeconds(createdAtMillis));
    }

    /** Whether the session of a family created at {@code createdAtMillis} is over at {@code now}. */
    public boolean sessionOver(long createdAtMillis, Instant now) {
        return now.getEpochSecond() >= sessionEndSeconds(createdAtMillis);
    }
}
