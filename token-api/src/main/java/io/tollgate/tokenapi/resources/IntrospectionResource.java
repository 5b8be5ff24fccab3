package io.tollgate.tokenapi.resources;

import io.tollgate.shared.auth.BasicAuthenticator;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.core.RevocationService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;

/**
 * {@code POST /oauth2/introspect} (RFC 7662) for resource servers from configuration: HTTP Basic, plain or
 * form-urlencoded, checked by token-api's one client authenticator and guard.
 */
@Path("/oauth2/introspect")
@Produces(MediaType.APPLICATION_JSON)
public class IntrospectionResource {
    private final BasicAuthenticator resourceServers;
    private final RevocationService revocations;
    private final long maxBodyBytes;

    public IntrospectionResource(BasicAuthenticator resourceServers, RevocationService revocations, long maxBodyBytes) {
        this.resourceServers = resourceServers;
        this.revocations = revocations;
        this.maxBodyBytes = maxBodyBytes;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response introspect(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @Context HttpServletRequest request, InputStream body) {
        if (resourceServers.authenticate(authorization, request.getRemoteAddr()).isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_CLIENT, "resource server authentication required", true, null);
        }
        var form = OAuthForms.read(contentType, body, maxBodyBytes);
        String token = OAuthForms.token(form);
        return Responses.ok(revocations.introspect(token, form.get("token_type_hint")));
    }
}
