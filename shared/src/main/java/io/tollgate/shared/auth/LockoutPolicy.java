package io.tollgate.shared.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * The one policy of every lockout (token-api's {@code BruteForceGuard} and portal {@code LoginThrottle}, the admin
 * port's {@link io.tollgate.shared.admin.AddressLockout}): the growing wait after repeated failures: none below
 * {@code threshold}, then {@code base} for the threshold-th failure, doubling with each further one, never more than
 * {@code max}. Where failures are counted and for how long is the lockout's own.
 */
public record LockoutPolicy(int threshold, Duration base, Duration max) {

    public LockoutPolicy {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
    }

    /** A lock of the same length whatever the count past the threshold: {@code wait} after the last failure. */
    public static LockoutPolicy fixed(int threshold, Duration wait) {
        return new LockoutPolicy(threshold, wait, wait);
    }

    /** Whether {@code failures} reach the threshold, from which each failure locks. */
    public boolean locks(long failures) {
        return failures >= threshold;
    }

    public Duration waitAfter(long failures) {
        if (!locks(failures)) {
            return Duration.ZERO;
        }
        long doublings = failures - threshold;
        if (doublings >= 40) {
            return max;
        }
        long millis = base.toMillis();
        long wait = millis > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : millis << doublings;
        return wait >= max.toMillis() ? max : Duration.ofMillis(wait);
    }
}
