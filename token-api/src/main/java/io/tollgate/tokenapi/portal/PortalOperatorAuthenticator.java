package io.tollgate.tokenapi.portal;

import io.dropwizard.auth.Authenticator;
import io.tollgate.tokenapi.auth.OperatorAuthenticator;
import io.tollgate.tokenapi.auth.RequestCredentials;

import java.util.Optional;

/**
 * The operator of the portal's admin API ({@code @Auth PortalOperator}): by HTTP Basic ({@link OperatorAuthenticator}:
 * counted per client address in token-api's brute-force guard exactly as on {@code /admin}, and refused with the
 * same 401 and challenge) or by an admin portal session ({@link PortalSessionAuthenticator}; 403 {@code forbidden}
 * for a developer's). A change always needs a live session and its CSRF token, Basic or not: a browser sends cached
 * Basic credentials with a cross-site request, but the attacker's page cannot read the session's CSRF token.
 */
public final class PortalOperatorAuthenticator implements Authenticator<RequestCredentials, PortalOperator> {
    private final OperatorAuthenticator operators;
    private final PortalSessions sessions;
    private final PortalSessionAuthenticator portalSessions;

    public PortalOperatorAuthenticator(OperatorAuthenticator operators, PortalSessions sessions) {
        this.operators = operators;
        this.sessions = sessions;
        this.portalSessions = new PortalSessionAuthenticator(sessions);
    }

    @Override
    public Optional<PortalOperator> authenticate(RequestCredentials request) {
        if (request.authorization() != null) {
            String operator = operators.authenticate(request).orElseThrow(PortalException::operatorUnauthorized)
                    .name();
            if (request.changing() && !sessions.find(request.cookie(PortalSessionAuthenticator.COOKIE))
                    .map(s -> s.csrfMatches(request.header(PortalSessionAuthenticator.CSRF_HEADER))).orElse(false)) {
                throw PortalException.csrf();
            }
            return Optional.of(new PortalOperator(operator));
        }
        Optional<PortalSessions.Session> session = portalSessions.authenticate(request);
        if (session.isPresent() && !session.get().admin()) {
            throw new PortalException(403, "forbidden", "operators only");
        }
        return session.map(s -> new PortalOperator(s.email()));
    }
}
