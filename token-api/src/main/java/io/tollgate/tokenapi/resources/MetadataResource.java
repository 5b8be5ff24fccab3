package io.tollgate.tokenapi.resources;

import io.tollgate.shared.dpop.DpopProofVerifier;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.core.TokenService;
import io.tollgate.tokenapi.keys.SigningKeySource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code GET /.well-known/oauth-authorization-server} (RFC 8414); {@code issuer} is the configured base URL. */
@Path("/.well-known/oauth-authorization-server")
@Produces(MediaType.APPLICATION_JSON)
public class MetadataResource {
    private final String issuer;
    private final RegistryView registry;
    private final SigningKeySource keys;

    public MetadataResource(String issuer, RegistryView registry, SigningKeySource keys) {
        this.issuer = issuer;
        this.registry = registry;
        this.keys = keys;
    }

    @GET
    public Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("authorization_endpoint", issuer + "/oauth2/authorize");
        m.put("token_endpoint", issuer + "/oauth2/token");
        m.put("jwks_uri", issuer + "/oauth2/jwks");
        m.put("revocation_endpoint", issuer + "/oauth2/revoke");
        m.put("introspection_endpoint", issuer + "/oauth2/introspect");
        m.put("grant_types_supported", TokenService.SUPPORTED_GRANTS);
        m.put("response_types_supported", List.of("code"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "client_secret_post"));
        m.put("revocation_endpoint_auth_methods_supported",
                List.of("none", "client_secret_basic", "client_secret_post"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        m.put("scopes_supported", new TreeSet<>(registry.plans().stream().map(PlanRecord::scopes)
                .flatMap(java.util.Set::stream).toList()));
        m.put("access_token_signing_alg_values_supported", keys.current().publishedAlgorithms());
        m.put("dpop_signing_alg_values_supported", DpopProofVerifier.ALGORITHMS);
        return m;
    }
}
