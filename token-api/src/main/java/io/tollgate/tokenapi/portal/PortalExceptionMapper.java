package io.tollgate.tokenapi.portal;

import io.tollgate.tokenapi.api.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Portal errors as JSON (more specific than token-api's fallback mapper, so Jersey prefers it). */
@Provider
public class PortalExceptionMapper implements ExceptionMapper<PortalException> {
    @Override
    public Response toResponse(PortalException e) {
        Response.ResponseBuilder b = Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Cache-Control", "no-store").entity(new ErrorResponse(e.code(), e.getMessage()));
        if (e.challenge() != null) {
            b.header("WWW-Authenticate", e.challenge());
        }
        if (e.retryAfterSeconds() > 0) {
            b.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        } else if (e.status() == 503) {
            b.header("Retry-After", "5");
        }
        return b.build();
    }
}
