package io.tollgate.tokenapi.portal;

import io.tollgate.tokenapi.core.FormParser;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import java.io.ByteArrayInputStream;
import java.util.Locale;

/**
 * The bounds of a portal body ({@link JsonBody}), checked after the session (an anonymous caller learns nothing of
 * its body) and before Jackson reads it: {@code application/json} only (415 otherwise: a cross-site HTML form cannot
 * send it without a CORS preflight), and at most 8 KiB (400 otherwise), read into memory so that Jackson never
 * reads from the connection.
 */
@Provider
@JsonBody
@Priority(Priorities.AUTHORIZATION)
public final class JsonBodyFilter implements ContainerRequestFilter {
    static final int MAX_BODY = 8 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new PortalException(415, "invalid_request", "the body must be application/json");
        }
        byte[] bytes;
        try {
            bytes = FormParser.readLimited(request.getEntityStream(), MAX_BODY);
        } catch (RuntimeException e) {
            throw PortalException.badRequest("the body is too large");
        }
        request.setEntityStream(new ByteArrayInputStream(bytes));
    }
}
