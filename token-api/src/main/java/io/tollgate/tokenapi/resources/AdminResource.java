package io.tollgate.tokenapi.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Auth;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.shared.events.UserBlockRecord;
import io.tollgate.tokenapi.api.ErrorResponse;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.auth.Operator;
import io.tollgate.tokenapi.core.FormParser;
import io.tollgate.tokenapi.core.RevocationService;
import io.tollgate.tokenapi.core.UserBlocks;
import io.tollgate.tokenapi.kafka.OperatorAudit;
import io.tollgate.tokenapi.redis.Family;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Operator API on the main connector: {@code POST /admin/users/{user}/revoke} (optional JSON body
 * {@code {"reason": ..., "client_id": ...}}) and {@code POST /admin/clients/{client_id}/revoke}
 * ({@code {"reason": ...}}); HTTP Basic with an operator account ({@code @Auth Operator}: 401 with the
 * {@code tollgate-admin} challenge otherwise); 204 on success, after which the revocation is
 * also an {@code operator.action} naming the operator on the audit stream. A revocation must be sent as
 * {@code Content-Type: application/json} (the body may be empty), else 415 before anything else is looked at: a
 * cross-site HTML form, which a browser would send with the operator's cached Basic credentials, cannot send that
 * type without a CORS preflight, which this API never grants. {@code GET
 * /admin/users/{user}/families} (optional {@code client_id} query) lists the user's live refresh-token families
 * (no token hash), 503 {@code temporarily_unavailable} while the projection is being rebuilt.
 *
 * <p>Blocks ({@link UserBlocks}): {@code POST /admin/users/{user}/block} ({@code {"reason": ...}}, JSON as above)
 * blocks the user and revokes all their tokens, 200 with the block; {@code DELETE /admin/users/{user}/block} lifts
 * it, 200 with the block lifted or 404 {@code not_found} when the user is not blocked; {@code GET /admin/users/blocked}
 * lists the blocks. Both changes are {@code operator.action} events ({@code USER_BLOCKED}, {@code USER_UNBLOCKED}).
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
    private static final int MAX_BODY = 8 * 1024;
    private final RevocationService revocations;
    private final UserBlocks blocks;
    private final OperatorAudit audit;
    private final ObjectMapper mapper;

    public AdminResource(RevocationService revocations, UserBlocks blocks, OperatorAudit audit, ObjectMapper mapper) {
        this.revocations = revocations;
        this.blocks = blocks;
        this.audit = audit;
        this.mapper = mapper;
    }

    @POST
    @Path("/users/{user}/revoke")
    @Consumes(MediaType.WILDCARD)
    @JsonOnly
    public Response revokeUser(@Auth Operator operator, @PathParam("user") String user,
                               @Context HttpServletRequest request, InputStream body) {
        checkId(user, "user");
        JsonNode json = body(body);
        String clientId = text(json, "client_id");
        if (clientId != null) {
            checkId(clientId, "client_id");
        }
        String reason = text(json, "reason");
        revocations.revokeUser(user, clientId, operator.name(), reason);
        audit(operator, OperatorAction.Action.USER_REVOKED, user, user, clientId, reason, request);
        return Response.noContent().build();
    }

    @POST
    @Path("/clients/{client_id}/revoke")
    @Consumes(MediaType.WILDCARD)
    @JsonOnly
    public Response revokeClient(@Auth Operator operator, @PathParam("client_id") String clientId,
                                 @Context HttpServletRequest request, InputStream body) {
        checkId(clientId, "client_id");
        JsonNode json = body(body);
        String reason = text(json, "reason");
        revocations.revokeClient(clientId, operator.name(), reason);
        audit(operator, OperatorAction.Action.CLIENT_REVOKED, clientId, null, clientId, reason, request);
        return Response.noContent().build();
    }

    @POST
    @Path("/users/{user}/block")
    @Consumes(MediaType.WILDCARD)
    @JsonOnly
    public Response block(@Auth Operator operator, @PathParam("user") String user,
                          @Context HttpServletRequest request, InputStream body) {
        checkId(user, "user");
        String reason = text(body(body), "reason");
        UserBlockRecord block = blocks.block(user, operator.name(), reason);
        audit(operator, OperatorAction.Action.USER_BLOCKED, block.userId(), block.userId(), null, reason, request);
        return Responses.ok(view(block));
    }

    @DELETE
    @Path("/users/{user}/block")
    public Response unblock(@Auth Operator operator, @PathParam("user") String user,
                            @Context HttpServletRequest request) {
        checkId(user, "user");
        Optional<UserBlockRecord> lifted = blocks.unblock(user, operator.name());
        if (lifted.isEmpty()) {
            return Responses.json(404, new ErrorResponse("not_found", "the user is not blocked"));
        }
        String id = lifted.get().userId();
        audit(operator, OperatorAction.Action.USER_UNBLOCKED, id, id, null, null, request);
        return Responses.ok(view(lifted.get()));
    }

    @GET
    @Path("/users/blocked")
    public Response blocked(@Auth Operator operator) {
        List<Map<String, Object>> out = new ArrayList<>();
        blocks.list().forEach(b -> out.add(view(b)));
        return Responses.ok(Map.of("blocked", out));
    }

    /** An operator's change as an {@code operator.action} event, from the request's address. */
    private void audit(Operator operator, OperatorAction.Action action, String target, String user, String client,
                       String reason, HttpServletRequest request) {
        audit.record(new OperatorAction(operator.name(), action, target, user, client, null, null, null, reason,
                request.getRemoteAddr()));
    }

    private static Map<String, Object> view(UserBlockRecord block) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", block.userId());
        m.put("reason", block.reason());
        m.put("operator", block.operator());
        m.put("blockedAt", block.blockedAt().toString());
        return m;
    }

    @GET
    @Path("/users/{user}/families")
    public Response families(@Auth Operator operator, @PathParam("user") String user,
                             @QueryParam("client_id") String clientId) {
        checkId(user, "user");
        if (clientId != null) {
            checkId(clientId, "client_id");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Family f : revocations.liveFamilies(user, clientId)) {
            // never the refresh token's hash: what an operator needs to recognise a device, nothing more
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("familyId", f.familyId());
            m.put("user", f.user());
            m.put("client", f.client());
            m.put("generation", f.generation());
            m.put("createdAt", Instant.ofEpochMilli(f.createdAtMillis()).toString());
            m.put("expiresAt", Instant.ofEpochSecond(f.expiresAtSeconds()).toString());
            m.put("scope", f.scope());
            m.put("subscriptionId", f.subscriptionId());
            m.put("planId", f.planId());
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        body.put("client_id", clientId);
        body.put("families", out);
        return Responses.ok(body);
    }

    private JsonNode body(InputStream in) {
        byte[] bytes = FormParser.readLimited(in, MAX_BODY);
        if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw OAuthException.invalidRequest("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw OAuthException.invalidRequest("the body is not valid JSON");
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw OAuthException.invalidRequest(field + " must be a string");
        }
        String text = value.asText();
        if (text.length() > 500) {
            throw OAuthException.invalidRequest(field + " is too long");
        }
        return text.isBlank() ? null : text;
    }

    private static void checkId(String id, String name) {
        if (id == null || id.isBlank() || id.length() > 256 || id.chars().anyMatch(Character::isISOControl)) {
            throw OAuthException.invalidRequest("invalid " + name);
        }
    }
}
