package io.tollgate.tokenapi.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
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
    private String publicUrl;

    /** How verification mail leaves: {@code type: smtp} or {@code type: file} (local stack). */
    @Valid
    @NotNull
    private MailSenderFactory mail;

    /** How long a verification link works (it works once). */
    @NotNull
    private Duration verificationLifetime = Duration.hours(24);

    /** Sign-ups (each sends a mail) per e-mail address per {@code signupWindow}. */
    @Min(1)
    private int signupsPerAddress = 3;

    /** The window of {@code signupsPerAddress}. */
    @NotNull
    private Duration signupWindow = Duration.hours(1);

    /** PBKDF2 requests (sign-up, verification, login) per client address per {@code hashWindow}. */
    @Min(1)
    private int hashesPerClientAddress = 20;

    /** The window of {@code hashesPerClientAddress}. */
    @NotNull
    private Duration hashWindow = Duration.minutes(1);

    /** PBKDF2 requests of one client address hashing at once on a node. */
    @Min(1)
    private int hashesInFlightPerClientAddress = 1;

    /** PBKDF2 requests hashing at once on a node, all addresses together; more wait up to {@code hashQueueWait}. */
    @Min(1)
    private int maxConcurrentHashes = 2;

    /** How long a request waits for a free hashing slot before a 503. */
    @NotNull
    private Duration hashQueueWait = Duration.seconds(1);

    /** How long a portal session lives without use (sliding: every request with it starts the time again). */
    @NotNull
    private Duration sessionLifetime = Duration.hours(8);

    /** Failed log-ins per e-mail address within {@code loginFailureWindow} before further ones are refused (429). */
    @Min(1)
    private int loginFailuresPerEmail = 5;

    /** Failed log-ins per client address within {@code loginFailureWindow} before further ones are refused (429). */
    @Min(1)
    private int loginFailuresPerClientAddress = 20;

    /** How long failed log-ins are counted after the last one. */
    @NotNull
    private Duration loginFailureWindow = Duration.minutes(15);

    @JsonProperty
    public String getPublicUrl() {
        return publicUrl;
    }

    @JsonProperty
    public void setPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl;
    }

    @JsonProperty
    public MailSenderFactory getMail() {
        return mail;
    }

    @JsonProperty
    public void setMail(MailSenderFactory mail) {
        this.mail = mail;
    }

    @JsonProperty
    public Duration getVerificationLifetime() {
        return verificationLifetime;
    }

    @JsonProperty
    public void setVerificationLifetime(Duration verificationLifetime) {
        this.verificationLifetime = verificationLifetime;
    }

    @JsonProperty
    public int getSignupsPerAddress() {
        return signupsPerAddress;
    }

    @JsonProperty
    public void setSignupsPerAddress(int signupsPerAddress) {
        this.signupsPerAddress = signupsPerAddress;
    }

    @JsonProperty
    public Duration getSignupWindow() {
        return signupWindow;
    }

    @JsonProperty
    public void setSignupWindow(Duration signupWindow) {
        this.signupWindow = signupWindow;
    }

    @JsonProperty
    public int getHashesPerClientAddress() {
        return hashesPerClientAddress;
    }

    @JsonProperty
    public void setHashesPerClientAddress(int hashesPerClientAddress) {
        this.hashesPerClientAddress = hashesPerClientAddress;
    }

    @JsonProperty
    public Duration getHashWindow() {
        return hashWindow;
    }

    @JsonProperty
    public void setHashWindow(Duration hashWindow) {
        this.hashWindow = hashWindow;
    }

    @JsonProperty
    public int getHashesInFlightPerClientAddress() {
        return hashesInFlightPerClientAddress;
    }

    @JsonProperty
    public void setHashesInFlightPerClientAddress(int hashesInFlightPerClientAddress) {
        this.hashesInFlightPerClientAddress = hashesInFlightPerClientAddress;
    }

    @JsonProperty
    public int getMaxConcurrentHashes() {
        return maxConcurrentHashes;
    }

    @JsonProperty
    public void setMaxConcurrentHashes(int maxConcurrentHashes) {
        this.maxConcurrentHashes = maxConcurrentHashes;
    }

    @JsonProperty
    public Duration getHashQueueWait() {
        return hashQueueWait;
    }

    @JsonProperty
    public void setHashQueueWait(Duration hashQueueWait) {
        this.hashQueueWait = hashQueueWait;
    }

    @JsonProperty
    public Duration getSessionLifetime() {
        return sessionLifetime;
    }

    @JsonProperty
    public void setSessionLifetime(Duration sessionLifetime) {
        this.sessionLifetime = sessionLifetime;
    }

    @JsonProperty
    public int getLoginFailuresPerEmail() {
        return loginFailuresPerEmail;
    }

    @JsonProperty
    public void setLoginFailuresPerEmail(int loginFailuresPerEmail) {
        this.loginFailuresPerEmail = loginFailuresPerEmail;
    }

    @JsonProperty
    public int getLoginFailuresPerClientAddress() {
        return loginFailuresPerClientAddress;
    }

    @JsonProperty
    public void setLoginFailuresPerClientAddress(int loginFailuresPerClientAddress) {
        this.loginFailuresPerClientAddress = loginFailuresPerClientAddress;
    }

    @JsonProperty
    public Duration getLoginFailureWindow() {
        return loginFailureWindow;
    }

    @JsonProperty
    public void setLoginFailureWindow(Duration loginFailureWindow) {
        this.loginFailureWindow = loginFailureWindow;
    }
}
