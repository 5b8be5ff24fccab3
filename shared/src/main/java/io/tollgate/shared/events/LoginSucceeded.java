package io.tollgate.shared.events;

import java.time.Instant;

/**
 * A password grant issued tokens. Carries what is needed to rebuild the refresh family after a
 * Redis loss (family id, generation, the refresh token's hash and expiry), never a token.
 */
public record LoginSucceeded(
        String userId,
        String clientId,
        String applicationId,
        String subscriptionId,
        String planId,
        String familyId,
        int generation,
        String refreshTokenHash,
        String jti,
        String scope,
        Instant accessExpiresAt,
        Instant refreshExpiresAt,
        String ip) implements EventData {

    public LoginSucceeded {
        Checks.text(userId, "userId");
        Checks.text(clientId, "clientId");
        Checks.text(familyId, "familyId");
        Checks.nonNegative(generation, "generation");
        Checks.hash(refreshTokenHash, "refreshTokenHash");
        Checks.text(jti, "jti");
        Checks.present(scope, "scope");
        Checks.present(refreshExpiresAt, "refreshExpiresAt");
    }

    @Override
    public EventType eventType() {
        return EventType.LOGIN_SUCCEEDED;
    }

    @Override
    public String subject() {
        return userId;
    }
}
