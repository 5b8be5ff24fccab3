package io.tollgate.shared.auth;

import java.time.Duration;

/**
 * The growing wait after repeated failures: none below {@code threshold}, then {@code base} for the
 * threshold-th failure, doubling with each further one, never more than {@code max}.
 */
public record LockoutPolicy(int threshold, Duration base, Duration max) {

    public Duration waitAfter(long failures) {
        if (failures < threshold) {
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
