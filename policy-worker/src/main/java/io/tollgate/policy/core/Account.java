package io.tollgate.policy.core;

import java.time.Instant;

/**
 * What the identity provider says about a user at check time.
 *
 * @param licenseExpires from the license source; null when the user has no license
 */
public record Account(String userId, boolean exists, boolean disabled, Instant licenseExpires) {
    public static Account missing(String userId) {
        return new Account(userId, false, false, null);
    }
}
