package io.tollgate.tokenapi.auth;

import io.dropwizard.auth.UnauthorizedHandler;
import io.tollgate.shared.auth.BasicAccounts;
import io.tollgate.tokenapi.api.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The refusal of an operator call without valid credentials: 401 with the {@code tollgate-admin} Basic challenge
 * and a JSON {@code {"error": "unauthorized", "error_description": ...}}, never cached.
 */
public final class OperatorChallenge implements UnauthorizedHandler {
    public static final String DESCRIPTION = "operator authentication required";

    @Override
    public Response buildResponse(String prefix, String realm) {
        return response();
    }

    public static Response response() {
        return Response.status(401).header("WWW-Authenticate", BasicAccounts.OPERATOR_CHALLENGE)
                .header("Cache-Control", "no-store").type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse("unauthorized", DESCRIPTION)).build();
    }
}
