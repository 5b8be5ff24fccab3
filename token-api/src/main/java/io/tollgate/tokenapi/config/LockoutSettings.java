package io.tollgate.tokenapi.config;

import com.fasterxml.jackson.annotation.JsonProperty;
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
    private boolean enabled = true;

    @Min(1)
    private int userFailures = 5;

    @Min(1)
    private int ipFailures = 10;

    @NotNull
    private Duration wait = Duration.seconds(60);

    @NotNull
    private Duration maxWait = Duration.minutes(15);

    @NotNull
    private Duration failureWindow = Duration.hours(12);

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public int getUserFailures() {
        return userFailures;
    }

    @JsonProperty
    public void setUserFailures(int userFailures) {
        this.userFailures = userFailures;
    }

    @JsonProperty
    public int getIpFailures() {
        return ipFailures;
    }

    @JsonProperty
    public void setIpFailures(int ipFailures) {
        this.ipFailures = ipFailures;
    }

    @JsonProperty
    public Duration getWait() {
        return wait;
    }

    @JsonProperty
    public void setWait(Duration wait) {
        this.wait = wait;
    }

    @JsonProperty
    public Duration getMaxWait() {
        return maxWait;
    }

    @JsonProperty
    public void setMaxWait(Duration maxWait) {
        this.maxWait = maxWait;
    }

    @JsonProperty
    public Duration getFailureWindow() {
        return failureWindow;
    }

    @JsonProperty
    public void setFailureWindow(Duration failureWindow) {
        this.failureWindow = failureWindow;
    }

    /** The wait per user: from {@code userFailures} on, {@code wait} doubling up to {@code maxWait}. */
    public LockoutPolicy userPolicy() {
        return new LockoutPolicy(userFailures, wait.toJavaDuration(), maxWait.toJavaDuration());
    }

    /** The wait per client address: from {@code ipFailures} on, {@code wait} doubling up to {@code maxWait}. */
    public LockoutPolicy ipPolicy() {
        return new LockoutPolicy(ipFailures, wait.toJavaDuration(), maxWait.toJavaDuration());
    }
}
