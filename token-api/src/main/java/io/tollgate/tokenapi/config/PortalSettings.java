package io.tollgate.tokenapi.config;

import io.dropwizard.util.Duration;
import io.tollgate.shared.auth.LockoutPolicy;
import io.tollgate.tokenapi.mail.MailSenderFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * The developer portal: its sessions and log-in throttle, e-mail verification of sign-ups, and the bounds on its password hashing (PBKDF2, about
 * 50 ms of a core each), which are checked before any hashing so a flood of sign-ups or logins cannot take the
 * node's cores: per client address a rate and a number in flight (429 with {@code Retry-After}), per node a number
 * hashing at once (503 with {@code Retry-After} after a short wait).
 */
public class PortalSettings {
    /** Base URL of the portal's links in mail ({@code <publicUrl>/portal/#verify/<token>}); empty: the issuer. */
    public String publicUrl;

    /** How verification mail leaves: {@code type: smtp} or {@code type: file} (local stack). */
    @Valid
    @NotNull
    public MailSenderFactory mail;

    /** How long a verification link works (it works once). */
    @NotNull
    public Duration verificationLifetime = Duration.hours(24);

    /** Sign-ups (each sends a mail) per e-mail address per {@code signupWindow}. */
    @Min(1)
    public int signupsPerAddress = 3;

    /** The window of {@code signupsPerAddress}. */
    @NotNull
    public Duration signupWindow = Duration.hours(1);

    /** PBKDF2 requests (sign-up, verification, login) per client address per {@code hashWindow}. */
    @Min(1)
    public int hashesPerClientAddress = 20;

    /** The window of {@code hashesPerClientAddress}. */
    @NotNull
    public Duration hashWindow = Duration.minutes(1);

    /** PBKDF2 requests of one client address hashing at once on a node. */
    @Min(1)
    public int hashesInFlightPerClientAddress = 1;

    /** PBKDF2 requests hashing at once on a node, all addresses together; more wait up to {@code hashQueueWait}. */
    @Min(1)
    public int maxConcurrentHashes = 2;

    /** How long a request waits for a free hashing slot before a 503. */
    @NotNull
    public Duration hashQueueWait = Duration.seconds(1);

    /** How long a portal session lives without use (sliding: every request with it starts the time again). */
    @NotNull
    public Duration sessionLifetime = Duration.hours(8);

    /** Failed log-ins per e-mail address within {@code loginFailureWindow} before further ones are refused (429). */
    @Min(1)
    public int loginFailuresPerEmail = 5;

    /** Failed log-ins per client address within {@code loginFailureWindow} before further ones are refused (429). */
    @Min(1)
    public int loginFailuresPerClientAddress = 20;

    /** How long failed log-ins are counted after the last one. */
    @NotNull
    public Duration loginFailureWindow = Duration.minutes(15);

    /** The base URL of the portal's links in mail: {@code publicUrl}, or {@code issuer} when it is empty. */
    public String publicUrl(String issuer) {
        return publicUrl == null || publicUrl.isBlank() ? issuer : publicUrl;
    }

    /** Failed log-ins per e-mail address: {@code loginFailuresPerEmail} within {@code loginFailureWindow}. */
    public LockoutPolicy loginPolicyPerEmail() {
        return LockoutPolicy.fixed(loginFailuresPerEmail, loginFailureWindow.toJavaDuration());
    }

    /** Failed log-ins per client address: {@code loginFailuresPerClientAddress} within {@code loginFailureWindow}. */
    public LockoutPolicy loginPolicyPerClientAddress() {
        return LockoutPolicy.fixed(loginFailuresPerClientAddress, loginFailureWindow.toJavaDuration());
    }
}
