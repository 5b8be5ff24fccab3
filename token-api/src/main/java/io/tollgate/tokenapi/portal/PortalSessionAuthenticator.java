package io.tollgate.tokenapi.portal;

import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.UnauthorizedHandler;
import io.tollgate.tokenapi.auth.RequestCredentials;

import java.util.Optional;

/**
 * A portal session ({@code @Auth PortalSessions.Session}): the live session named by the {@code tg_portal} cookie
 * (401 {@code unauthorized} "log in first" without one), and for a state-changing method also its CSRF
 * synchronizer token in {@code X-CSRF-Token} (403 {@code csrf_token_invalid} otherwise). Both are checked before
 * the body is read, so a request without them learns nothing about its body.
 */
public final class PortalSessionAuthenticator implements Authenticator<RequestCredentials, PortalSessions.Session> {
    public static final String COOKIE = "tg_portal";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The refusal when there is no live session. */
    public static final UnauthorizedHandler LOG_IN_FIRST = new UnauthorizedHandler() {
        @Override
        public RuntimeException buildException(String prefix, String realm) {
            return PortalException.unauthorized();
        }
    };

    private final PortalSessions sessions;

    public PortalSessionAuthenticator(PortalSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Optional<PortalSessions.Session> authenticate(RequestCredentials request) {
        Optional<PortalSessions.Session> session = sessions.find(request.cookie(COOKIE));
        if (session.isPresent() && request.changing() && !session.get().csrfMatches(request.header(CSRF_HEADER))) {
            throw PortalException.csrf();
        }
        return session;
    }
}
