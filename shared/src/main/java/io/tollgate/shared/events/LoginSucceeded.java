package io.tollgate.shared.events;

import java.time.Instant;
import java.util.List;

/**
 * A password grant issued tokens. Carries what is needed to rebuild the refresh family after a
 * Redis loss (family id, generation, the refresh token's hash and expiry, the APIs the login named), never a token.
 *
 * @param audience the APIs the login named with RFC 8707 {@code resource}: the family's audience, which no refresh
 *                 widens; null when it named none (and in events written before the field existed)
 * @param jkt      the RFC 7638 thumbprint of the DPoP key the family's refresh tokens are bound to (RFC 9449 §5), so a
 *                 rebuilt projection keeps the binding; null when the family is not bound
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
        String ip,
        List<String> audience,
        String jkt) implements UserEventData {

    public LoginSucceeded {
        Checks.family(userId, clientId, familyId);
        Checks.nonNegative(generation, "generation");
        Checks.hash(refreshTokenHash, "refreshTokenHash");
        Checks.text(jti, "jti");
        Checks.present(scope, "scope");
        Checks.present(refreshExpiresAt, "refreshExpiresAt");
        if (audience != null) {
            audience = Checks.apis(audience, "audience");
        }
        if (jkt != null) {
            Checks.text(jkt, "jkt");
        }
    }

    /** A login whose family is not bound to a DPoP key. */
    public LoginSucceeded(String userId, String clientId, String applicationId, String subscriptionId, String planId,
                          String familyId, int generation, String refreshTokenHash, String jti, String scope,
                          Instant accessExpiresAt, Instant refreshExpiresAt, String ip, List<String> audience) {
        this(userId, clientId, applicationId, subscriptionId, planId, familyId, generation, refreshTokenHash, jti,
                scope, accessExpiresAt, refreshExpiresAt, ip, audience, null);
    }

    /** A login that named no resource: its family's audience follows the client's subscriptions. */
    public LoginSucceeded(String userId, String clientId, String applicationId, String subscriptionId, String planId,
                          String familyId, int generation, String refreshTokenHash, String jti, String scope,
                          Instant accessExpiresAt, Instant refreshExpiresAt, String ip) {
        this(userId, clientId, applicationId, subscriptionId, planId, familyId, generation, refreshTokenHash, jti,
                scope, accessExpiresAt, refreshExpiresAt, ip, null, null);
    }
}
