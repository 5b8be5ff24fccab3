package io.tollgate.policy.core;

import java.time.Instant;

/** A live refresh family of a (user, client): not revoked, not expired. */
public record LiveFamily(String familyId, long createdAtMillis, Instant expiresAt) {
}
