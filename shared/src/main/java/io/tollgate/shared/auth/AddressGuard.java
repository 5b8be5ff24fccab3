package io.tollgate.shared.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Counts wrong passwords per client address and says while an address is locked, so that {@link BasicAccounts}
 * computes no password hash for a locked address: a 0.1 s PBKDF2 check must be neither a guessing oracle nor a
 * way to burn a server's CPU. token-api keeps the counters in Redis (shared by its nodes); the admin ports of the
 * other services in memory ({@link io.tollgate.shared.admin.AddressLockout}).
 */
public interface AddressGuard {
    /** How much longer {@code address} stays locked; empty when it is not locked. */
    Optional<Duration> lockedFor(String address);

    /** Counts a wrong password from {@code address}, locking it once it crossed its threshold. */
    void countFailure(String address);
}
