package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.core.TokenRequest;
import io.tollgate.tokenapi.core.TokenService;
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
import java.util.List;
import java.util.Set;

/**
 * {@code POST /oauth2/token}: the form read once, with RFC 8707 resource indicators ({@code resource}, the one
 * parameter that may be sent more than once) and RFC 9449 DPoP proofs (the {@code DPoP} header), then handed to
 * {@link TokenService}, which dispatches on {@code grant_type} to its grant. The common request (a form
 * {@code POST} that accepts JSON) is answered the same way by {@link TokenEndpointFilter} before Jersey.
 */
@Path("/oauth2/token")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {
    /** RFC 9449 §4.1: the proof header; see {@link io.tollgate.tokenapi.core.DpopBinding}. */
    static final String DPOP = "DPoP";
    private static final Set<String> REPEATABLE = Set.of(TokenService.RESOURCE);
    private final TokenService tokens;
    private final long maxBodyBytes;

    public TokenResource(TokenService tokens, long maxBodyBytes) {
        this.tokens = tokens;
        this.maxBodyBytes = maxBodyBytes;
    }

    // Any content type is accepted here so that a wrong one gets invalid_request (400), not Jersey's 415.
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                          @HeaderParam(DPOP) List<String> dpop, @Context HttpServletRequest request,
                          InputStream body) {
        return answer(tokens, maxBodyBytes, contentType, authorization, dpop, request.getRemoteAddr(), body);
    }

    /** The answer to a token request: its form read (at most {@code maxBodyBytes}) and granted. */
    static Response answer(TokenService tokens, long maxBodyBytes, String contentType, String authorization,
                           List<String> dpop, String remoteAddr, InputStream body) {
        var form = OAuthForms.read(contentType, body, maxBodyBytes, REPEATABLE);
        return Responses.ok(tokens.grant(new TokenRequest(form.params(), form.all(TokenService.RESOURCE),
                remoteAddr, dpop), authorization));
    }
}
