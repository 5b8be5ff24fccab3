package io.tollgate.tokenapi.portal;

import io.tollgate.shared.auth.BasicAccounts;

/** A portal API error: an HTTP status and a JSON body {@code {"error": code, "error_description": ...}}. */
public final class PortalException extends RuntimeException {
    private final int status;
    private final String code;
    private final String challenge;
    private final long retryAfterSeconds;

    public PortalException(int status, String code, String description) {
        this(status, code, description, null, 0);
    }

    private PortalException(int status, String code, String description, String challenge, long retryAfterSeconds) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
        this.challenge = challenge;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A 429 with {@code Retry-After: seconds}. */
    static PortalException tooMany(String code, String description, long seconds) {
        return new PortalException(429, code, description, null, Math.max(1, seconds));
    }

    /** A 503 with {@code Retry-After: seconds}. */
    static PortalException busy(String description, long seconds) {
        return new PortalException(503, "temporarily_unavailable", description, null, Math.max(1, seconds));
    }

    /** Seconds for {@code Retry-After}, or 0 for none (a 503 then gets the default). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The {@code WWW-Authenticate} challenge to send, or {@code null}. */
    public String challenge() {
        return challenge;
    }

    static PortalException badRequest(String description) {
        return new PortalException(400, "invalid_request", description);
    }

    static PortalException notFound() {
        return new PortalException(404, "not_found", null);
    }

    static PortalException unauthorized() {
        return new PortalException(401, "unauthorized", "log in first");
    }

    /** Wrong, unknown or locked-out operator Basic credentials: the same answer as token-api's {@code /admin}. */
    static PortalException operatorUnauthorized() {
        return new PortalException(401, "unauthorized", "operator authentication required",
                BasicAccounts.OPERATOR_CHALLENGE, 0);
    }

    static PortalException csrf() {
        return new PortalException(403, "csrf_token_invalid", "missing or wrong X-CSRF-Token header");
    }

    static PortalException unavailable(String description) {
        return new PortalException(503, "temporarily_unavailable", description);
    }
}
