package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.api.ErrorResponse;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses a {@link JsonOnly} operator change that is not {@code application/json} (media type parameters such as
 * charset are fine) with 415, before authentication: a cross-site HTML form, which a browser would send with the
 * operator's cached Basic credentials, cannot send that type without a CORS preflight, which this API never grants;
 * and such a request costs no password hash and counts against no lockout.
 */
@Provider
@JsonOnly
@Priority(Priorities.AUTHENTICATION - 100)
public final class JsonOnlyFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        if (!isJson(request.getHeaderString(HttpHeaders.CONTENT_TYPE))) {
            request.abortWith(Responses.json(415,
                    new ErrorResponse("invalid_request", "the body must be application/json")));
        }
    }

    static boolean isJson(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        return type.equalsIgnoreCase(MediaType.APPLICATION_JSON);
    }
}
