package io.tollgate.shared.events;

import java.time.Instant;

/**
 * A refresh token was rotated: the family moved to {@code generation} whose token hashes to {@code refreshTokenHash}.
 *
 * @param subscriptionId the subscription the family is tied to (the one its login named in {@code login.succeeded}),
 *                       so a per-subscription decision uses that subscription's plan; null in events written before the
 *                       field existed and for a family that has none recorded
 */
public record TokenRefreshed(
        String userId,
        String clientId,
        String familyId,
        int generation,
        String refreshTokenHash,
        String jti,
        String scope,
        Instant accessExpiresAt,
        Instant refreshExpiresAt,
        String ip,
        String subscriptionId) implements UserEventData {

    public TokenRefreshed {
        Checks.family(userId, clientId, familyId);
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1 after a refresh");
        }
        Checks.hash(refreshTokenHash, "refreshTokenHash");
        Checks.text(jti, "jti");
        Checks.present(scope, "scope");
        Checks.present(refreshExpiresAt, "refreshExpiresAt");
        subscriptionId = Checks.nullIfBlank(subscriptionId);
    }

    /** A refresh whose subscription is not known. */
    public TokenRefreshed(String userId, String clientId, String familyId, int generation, String refreshTokenHash,
                          String jti, String scope, Instant accessExpiresAt, Instant refreshExpiresAt, String ip) {
        this(userId, clientId, familyId, generation, refreshTokenHash, jti, scope, accessExpiresAt, refreshExpiresAt,
                ip, null);
    }
}
