package io.tollgate.tokenapi.auth;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.Set;

/**
 * What an {@link io.dropwizard.auth.Authenticator} of {@link RequestAuthFilter} looks at: the request (its
 * {@code Authorization} header, cookies, method) and the client's address, against which wrong passwords count.
 */
public record RequestCredentials(ContainerRequestContext request, String clientAddress) {
    private static final Set<String> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    /** The {@code Authorization} header, or {@code null}. */
    public String authorization() {
        return request.getHeaderString(HttpHeaders.AUTHORIZATION);
    }

    /** The value of cookie {@code name}, or {@code null}. */
    public String cookie(String name) {
        Cookie cookie = request.getCookies().get(name);
        return cookie == null ? null : cookie.getValue();
    }

    /** The header {@code name} (several values joined by commas, as JAX-RS does), or {@code null}. */
    public String header(String name) {
        return request.getHeaderString(name);
    }

    /** True for a method that may change state (anything but GET, HEAD and OPTIONS). */
    public boolean changing() {
        return !SAFE.contains(request.getMethod());
    }

    @Override
    public String toString() {
        return "RequestCredentials[clientAddress=" + clientAddress + ", credentials=[REDACTED]]";
    }
}
