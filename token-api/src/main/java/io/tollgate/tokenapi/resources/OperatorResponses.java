package io.tollgate.tokenapi.resources;

import io.tollgate.shared.auth.BasicAccounts;
import io.tollgate.tokenapi.api.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The operator API's own refusals, one way for every operator resource: JSON bodies, never cached. */
final class OperatorResponses {
    private OperatorResponses() {
    }

    static Response unauthorized() {
        return Response.status(401).header("WWW-Authenticate", BasicAccounts.OPERATOR_CHALLENGE)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorResponse("unauthorized", "operator authentication required")).build();
    }

    /** State changes take JSON only; media type parameters such as charset are fine. */
    static boolean isJson(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        return type.equalsIgnoreCase(MediaType.APPLICATION_JSON);
    }

    static Response notJson() {
        return Response.status(415).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                .entity(new ErrorResponse("invalid_request", "the body must be application/json")).build();
    }
}
