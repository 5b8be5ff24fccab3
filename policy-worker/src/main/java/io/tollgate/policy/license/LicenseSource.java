package io.tollgate.policy.license;

import java.time.Instant;
import java.util.Optional;

/** Where a user's license expiry comes from; empty means the user has no license. Throws when unreachable. */
public interface LicenseSource {
    Optional<Instant> licenseExpiry(String userId, String api);
}
