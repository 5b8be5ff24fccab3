package io.tollgate.policy.license;

import io.tollgate.policy.account.AccountEntry;
import io.tollgate.policy.core.SourceUnavailableException;

import java.time.Instant;
import java.util.Optional;

/** Where a user's licence expiry comes from. */
public interface LicenseSource {
    /**
     * @param account the user's entry from the account source (its licence, for type {@code profile})
     * @return the licence's expiry; empty when the user has no licence
     * @throws SourceUnavailableException when the source cannot answer
     */
    Optional<Instant> licenseExpiry(AccountEntry account, String api);
}
