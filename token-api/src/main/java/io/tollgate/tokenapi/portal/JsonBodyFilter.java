package io.tollgate.tokenapi.portal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.tokenapi.core.FormParser;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The bounds of a portal body ({@link JsonBody}), checked after the session (an anonymous caller learns nothing of
 * its body) and before Jackson binds it to its record: {@code application/json} only (415 otherwise: a cross-site
 * HTML form cannot send it without a CORS preflight), at most 8 KiB, and one JSON object within Jackson's nesting
 * limit (400 otherwise). The object is normalised once here: a name given twice keeps its last value, and the
 * record is bound from the object written again, never from the connection.
 */
@Provider
@JsonBody
@Priority(Priorities.AUTHORIZATION)
public final class JsonBodyFilter implements ContainerRequestFilter {
    static final int MAX_BODY = 8 * 1024;

    private final ObjectMapper mapper;

    public JsonBodyFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new PortalException(415, "invalid_request", "the body must be application/json");
        }
        byte[] bytes;
        try {
            bytes = FormParser.readLimited(request.getEntityStream(), MAX_BODY);
        } catch (RuntimeException e) {
            throw PortalException.badRequest("the body is too large");
        }
        JsonNode body;
        try {
            body = mapper.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw PortalException.badRequest("the body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw PortalException.badRequest("the body must be a JSON object");
        }
        try {
            request.setEntityStream(new ByteArrayInputStream(mapper.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON object could not be written again", e);
        }
    }
}
