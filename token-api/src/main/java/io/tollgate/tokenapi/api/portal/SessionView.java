package io.tollgate.tokenapi.api.portal;

/**
 * {@code Session}: who is logged in and the session's CSRF token, which the portal's page sends back with every
 * change.
 */
public record SessionView(String email, boolean admin, String csrfToken) {
    @Override
    public String toString() {
        return "SessionView[email=" + email + ", admin=" + admin + ", csrfToken=[REDACTED]]";
    }
}
