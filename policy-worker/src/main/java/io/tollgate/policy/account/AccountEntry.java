package io.tollgate.policy.account;

import java.time.Instant;

/**
 * What an account source says about one user.
 *
 * @param userId         the canonical id the source knows the user by
 * @param licenseExpires the licence the source holds for the user (licence type {@code profile}); null = none
 */
public record AccountEntry(String userId, boolean disabled, Instant licenseExpires) {
}
