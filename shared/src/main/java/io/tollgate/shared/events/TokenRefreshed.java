package io.tollgate.shared.events;

import java.time.Instant;

/** A refresh token was rotated: the family moved to {@code generation} whose token hashes to {@code refreshTokenHash}. */
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
        String ip) implements EventData {

    public TokenRefreshed {
        Checks.text(userId, "userId");
        Checks.text(clientId, "clientId");
        Checks.text(familyId, "familyId");
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1 after a refresh");
        }
        Checks.hash(refreshTokenHash, "refreshTokenHash");
        Checks.text(jti, "jti");
        Checks.present(scope, "scope");
        Checks.present(refreshExpiresAt, "refreshExpiresAt");
    }

    @Override
    public EventType eventType() {
        return EventType.TOKEN_REFRESHED;
    }

    @Override
    public String subject() {
        return userId;
    }
}
