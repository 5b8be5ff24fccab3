package io.tollgate.shared.events;

/** A refresh token that had already been rotated was presented again: the family is revoked (RFC 9700 §4.14.2). */
public record RefreshReused(String userId, String clientId, String familyId, String ip) implements UserEventData {

    public RefreshReused {
        Checks.family(userId, clientId, familyId);
    }
}
