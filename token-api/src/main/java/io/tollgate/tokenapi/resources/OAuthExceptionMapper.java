package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.api.OAuthException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns a refusal into its RFC 6749 §5.2 JSON answer. */
@Provider
public class OAuthExceptionMapper implements ExceptionMapper<OAuthException> {
    @Override
    public Response toResponse(OAuthException exception) {
        return Responses.error(exception);
    }
}
