package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.core.ClientAuthenticator;
import io.tollgate.tokenapi.core.RevocationService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;

/**
 * {@code POST /oauth2/revoke} (RFC 7009): the client authenticates as at the token endpoint, through the same
 * authenticator and brute-force guard.
 */
@Path("/oauth2/revoke")
@Produces(MediaType.APPLICATION_JSON)
public class RevocationResource {
    private final ClientAuthenticator clients;
    private final RevocationService revocations;
    private final long maxBodyBytes;

    public RevocationResource(ClientAuthenticator clients, RevocationService revocations, long maxBodyBytes) {
        this.clients = clients;
        this.revocations = revocations;
        this.maxBodyBytes = maxBodyBytes;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response revoke(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @Context HttpServletRequest request, InputStream body) {
        var form = OAuthForms.read(contentType, body, maxBodyBytes);
        var client = clients.client(authorization, form, request.getRemoteAddr());
        String token = OAuthForms.token(form);
        revocations.revokeToken(client, token, form.get("token_type_hint"));
        return Responses.noStore(Response.ok()).build();
    }
}
