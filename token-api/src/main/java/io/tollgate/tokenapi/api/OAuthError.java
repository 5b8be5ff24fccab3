package io.tollgate.tokenapi.api;

/** The error codes of RFC 6749 §5.2 (plus the RFC 7009, RFC 8707, RFC 9449 and server-side ones this service answers). */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /** RFC 8707 §2: a {@code resource} that is unknown, not the client's, or malformed. */
    INVALID_TARGET("invalid_target", 400),
    UNSUPPORTED_TOKEN_TYPE("unsupported_token_type", 400),
    /** RFC 9449 §5: a DPoP proof that is invalid, replayed, or missing where the client requires one. */
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
    SERVER_ERROR("server_error", 500);

    private final String code;
    private final int status;

    OAuthError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
