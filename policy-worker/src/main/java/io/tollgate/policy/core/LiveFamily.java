package io.tollgate.policy.core;

import java.time.Instant;

/**
 * A live refresh family of a (user, client): not revoked, not expired.
 *
 * @param subscriptionId the subscription its login was tied to; null when the family has none recorded
 */
public record LiveFamily(String familyId, long createdAtMillis, Instant expiresAt, String subscriptionId) {

    public LiveFamily {
        if (subscriptionId != null && subscriptionId.isBlank()) {
            subscriptionId = null;
        }
    }

    /** A family whose subscription is not recorded. */
    public LiveFamily(String familyId, long createdAtMillis, Instant expiresAt) {
        this(familyId, createdAtMillis, expiresAt, null);
    }
}
