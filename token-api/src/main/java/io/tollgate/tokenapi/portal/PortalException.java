package io.tollgate.tokenapi.portal;

/** A portal API error: an HTTP status and a JSON body {@code {"error": code, "error_description": ...}}. */
public final class PortalException extends RuntimeException {
    private final int status;
    private final String code;

    public PortalException(int status, String code, String description) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
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

    static PortalException csrf() {
        return new PortalException(403, "csrf_token_invalid", "missing or wrong X-CSRF-Token header");
    }

    static PortalException unavailable(String description) {
        return new PortalException(503, "temporarily_unavailable", description);
    }
}
