package io.tollgate.tokenapi.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.auth.Auth;
import io.tollgate.shared.declarative.ConfigError;
import io.tollgate.shared.declarative.ConfigValidator;
import io.tollgate.shared.declarative.DeclarativeConfig;
import io.tollgate.shared.declarative.InvalidConfigException;
import io.tollgate.tokenapi.api.ConfigChange;
import io.tollgate.tokenapi.api.InvalidConfigResponse;
import io.tollgate.tokenapi.auth.Operator;
import io.tollgate.tokenapi.core.FormParser;
import io.tollgate.tokenapi.core.RegistryConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The declarative control plane of the operator API (HTTP Basic as an operator account, like {@link AdminResource}):
 * {@code GET /admin/config} answers the registry's APIs and plans in the shape of {@code tollgate.yaml} (as JSON);
 * {@code POST /admin/config/diff} with such a document answers {@code {"changes": [...]}} without writing anything;
 * {@code PUT /admin/config} applies it as the whole desired state and answers the changes it made. A document that
 * breaks the schema or its rules is refused with 400 {@code invalid_request} and an {@code errors} list of
 * {@code {path, message}}, and nothing is written. Bodies must be {@code application/json} (415 otherwise: a
 * cross-site form cannot send it), at most 1 MiB.
 */
@Path("/admin/config")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {
    private static final int MAX_BODY = 1024 * 1024;
    private final RegistryConfig registry;
    private final ConfigValidator validator;

    public ConfigResource(RegistryConfig registry, ConfigValidator validator) {
        this.registry = registry;
        this.validator = validator;
    }

    @GET
    public Response export(@Auth Operator operator) {
        return Responses.ok(registry.current().toJson());
    }

    @POST
    @Path("/diff")
    @Consumes(MediaType.WILDCARD)
    @JsonOnly
    public Response diff(@Auth Operator operator, InputStream body) {
        try {
            return Responses.ok(Map.of("changes", registry.diff(desired(body))));
        } catch (InvalidConfigException e) {
            return invalid(e.errors());
        }
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @JsonOnly
    public Response apply(@Auth Operator operator, @Context HttpServletRequest request, InputStream body) {
        DeclarativeConfig desired;
        try {
            desired = desired(body);
        } catch (InvalidConfigException e) {
            return invalid(e.errors());
        }
        List<ConfigChange> changes = registry.apply(desired, operator.name(), request.getRemoteAddr());
        return Responses.ok(Map.of("changes", changes));
    }

    private DeclarativeConfig desired(InputStream body) {
        String text = new String(FormParser.readLimited(body, MAX_BODY), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new InvalidConfigException(List.of(new ConfigError("", 0, "the body must be a JSON object")));
        }
        JsonNode document = ConfigValidator.readJson(text);
        return validator.check(document);
    }

    private static Response invalid(List<ConfigError> errors) {
        return Responses.json(400, new InvalidConfigResponse("invalid_request",
                "the configuration is invalid: " + errors.size() + " error(s)",
                errors.stream().map(e -> new InvalidConfigResponse.Item(e.path(), e.message())).toList()));
    }
}
