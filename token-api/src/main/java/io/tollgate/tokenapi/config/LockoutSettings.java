package io.tollgate.tokenapi.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import io.dropwizard.util.Duration;
import io.tollgate.shared.auth.LockoutPolicy;

/**
 * Brute-force protection, after Keycloak's: failures are counted per user and per client address;
 * from {@code userFailures} (resp. {@code ipFailures}) failures on, every further failure locks for a
 * wait that starts at {@code wait} and doubles, up to {@code maxWait}. Counters are forgotten
 * {@code failureWindow} after the last failure. The per-address threshold is meant to be low enough that
 * one address trips it before it can lock out many users.
 */
public class LockoutSettings {
    public boolean enabled = true;

    @Min(1)
    public int userFailures = 5;

    @Min(1)
    public int ipFailures = 10;

    @NotNull
    public Duration wait = Duration.seconds(60);

    @NotNull
    public Duration maxWait = Duration.minutes(15);

    @NotNull
    public Duration failureWindow = Duration.hours(12);

    /** The wait per user: from {@code userFailures} on, {@code wait} doubling up to {@code maxWait}. */
    public LockoutPolicy userPolicy() {
        return new LockoutPolicy(userFailures, wait.toJavaDuration(), maxWait.toJavaDuration());
    }

    /** The wait per client address: from {@code ipFailures} on, {@code wait} doubling up to {@code maxWait}. */
    public LockoutPolicy ipPolicy() {
        return new LockoutPolicy(ipFailures, wait.toJavaDuration(), maxWait.toJavaDuration());
    }
}
