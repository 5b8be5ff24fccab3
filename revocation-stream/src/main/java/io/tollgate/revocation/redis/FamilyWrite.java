package io.tollgate.revocation.redis;

/**
 * A refresh family as re-projected from {@code login.succeeded} (createdAt known) or {@code token.refreshed}
 * (createdAt null: only the rotation is applied, the family's creation stays as first written).
 *
 * @param createdAt epoch millis, null for a refresh
 * @param expiresAt epoch seconds (refresh expiry)
 * @param audience  the APIs the login named (RFC 8707 resource), space-separated; null for a refresh or a login that
 *                  named none
 * @param jkt       the DPoP key thumbprint a login bound the family to (RFC 9449); null for a refresh or an unbound
 *                  family
 */
public record FamilyWrite(String familyId, String userId, String clientId, int generation, String refreshHash,
                          Long createdAt, long expiresAt, String scope, String subscriptionId, String planId,
                          String audience, String jkt) {

    /** A family write with no DPoP binding. */
    public FamilyWrite(String familyId, String userId, String clientId, int generation, String refreshHash,
                       Long createdAt, long expiresAt, String scope, String subscriptionId, String planId,
                       String audience) {
        this(familyId, userId, clientId, generation, refreshHash, createdAt, expiresAt, scope, subscriptionId, planId,
                audience, null);
    }
}
