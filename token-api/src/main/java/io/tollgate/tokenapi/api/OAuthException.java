package io.tollgate.tokenapi.api;

import java.time.Duration;

/**
 * A refusal answered as an RFC 6749 §5.2 JSON error. {@code basicChallenge}: the client tried HTTP Basic,
 * so a 401 carries {@code WWW-Authenticate: Basic}. {@code retryAfter}: for 503 answers.
 */
public class OAuthException extends RuntimeException {
    private final OAuthError error;
    private final boolean basicChallenge;
    private final Duration retryAfter;

    public OAuthException(OAuthError error, String description) {
        this(error, description, false, null);
    }

    public OAuthException(OAuthError error, String description, boolean basicChallenge, Duration retryAfter) {
        super(description, null, false, false);
        this.error = error;
        this.basicChallenge = basicChallenge;
        this.retryAfter = retryAfter;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuthError.INVALID_GRANT, description);
    }

    public static OAuthException invalidClient(boolean basic) {
        return new OAuthException(OAuthError.INVALID_CLIENT, "client authentication failed", basic, null);
    }

    public static OAuthException unavailable(String description, Duration retryAfter) {
        return new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE, description, false, retryAfter);
    }

    public OAuthError error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    public boolean basicChallenge() {
        return basicChallenge;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
