package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.api.ErrorResponse;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Response helpers of the OAuth endpoints and the operator API: every answer carries {@code Cache-Control: no-store}
 * and {@code Pragma: no-cache}.
 */
public final class Responses {
    private Responses() {
    }

    public static Response.ResponseBuilder noStore(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    public static Response ok(Object entity) {
        return json(200, entity);
    }

    /** A JSON answer with {@code status} that no cache keeps. */
    public static Response json(int status, Object entity) {
        return noStore(Response.status(status)).type(MediaType.APPLICATION_JSON_TYPE).entity(entity).build();
    }

    public static Response error(OAuthException e) {
        OAuthError error = e.error();
        Response.ResponseBuilder builder = noStore(Response.status(error.status()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse(error.code(), e.description()));
        if (error == OAuthError.INVALID_CLIENT && e.basicChallenge()) {
            builder.header("WWW-Authenticate", "Basic realm=\"tollgate\", charset=\"UTF-8\"");
        }
        if (e.retryAfter() != null) {
            builder.header("Retry-After", Math.max(1, e.retryAfter().toSeconds()));
        }
        return builder.build();
    }
}
