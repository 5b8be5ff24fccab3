package io.tollgate.tokenapi.resources;

import com.nimbusds.jose.jwk.JWKSet;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

/** {@code GET /oauth2/jwks} (RFC 7517): every signing key's public part. */
@Path("/oauth2/jwks")
public class JwksResource {
    public static final String JWK_SET = "application/jwk-set+json";
    private final String json;

    public JwksResource(JWKSet publicKeys) {
        this.json = publicKeys.toString(true);
    }

    @GET
    @Produces({JWK_SET, "application/json"})
    public Response jwks() {
        return Response.ok(json, JWK_SET).header("Cache-Control", "public, max-age=300").build();
    }
}
