package io.tollgate.tokenapi.resources;

import io.tollgate.tokenapi.keys.SigningKeySource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/** {@code GET /oauth2/jwks} (RFC 7517): the public part of every published and the active key, as loaded now. */
@Path("/oauth2/jwks")
public class JwksResource {
    public static final String JWK_SET = "application/jwk-set+json";
    private final SigningKeySource keys;

    public JwksResource(SigningKeySource keys) {
        this.keys = keys;
    }

    @GET
    @Produces({JWK_SET, "application/json"})
    public Response jwks() {
        return Response.ok(keys.current().publicJwkSetJson(), JWK_SET).header("Cache-Control", "public, max-age=300").build();
    }
}
