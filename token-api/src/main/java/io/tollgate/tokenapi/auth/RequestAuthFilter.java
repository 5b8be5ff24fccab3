package io.tollgate.tokenapi.auth;

import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.UnauthorizedHandler;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;

import java.security.Principal;

/**
 * dropwizard-auth's filter for a resource method with an {@code @Auth} parameter: hands the request and the client
 * address (the one {@code ClientAddressFilter} settled, behind trusted proxies) to its {@link Authenticator}, and
 * answers with its {@link UnauthorizedHandler} when that finds no principal. An authenticator may also refuse by
 * throwing (a lockout, a missing CSRF token): its exception goes to the exception mappers as it is.
 */
@Priority(Priorities.AUTHENTICATION)
public final class RequestAuthFilter<P extends Principal> extends AuthFilter<RequestCredentials, P> {
    @Context
    private HttpServletRequest servletRequest;

    private RequestAuthFilter() {
    }

    /**
     * @param scheme the authentication scheme named in the security context ({@code Basic}, or the portal's
     *               session cookie)
     */
    public static <P extends Principal> RequestAuthFilter<P> of(Authenticator<RequestCredentials, P> authenticator,
                                                                  UnauthorizedHandler refusal, String scheme,
                                                                  String realm) {
        return new AuthFilterBuilder<RequestCredentials, P, RequestAuthFilter<P>>() {
            @Override
            protected RequestAuthFilter<P> newInstance() {
                return new RequestAuthFilter<>();
            }
        }.setAuthenticator(authenticator).setUnauthorizedHandler(refusal).setPrefix(scheme).setRealm(realm)
                .setAuthorizer((principal, role, request) -> false).buildAuthFilter();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!authenticate(request, new RequestCredentials(request, servletRequest.getRemoteAddr()), prefix)) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
    }
}
