package io.tollgate.tokenapi.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a JAX-RS {@link Response} built by {@link Responses} onto a servlet response, as Jersey would: the status,
 * every header, and the entity as JSON through the application's {@link ObjectMapper} with its
 * {@code Content-Length}.
 */
final class ServletAnswers {
    private final ObjectMapper json;

    ServletAnswers(ObjectMapper json) {
        this.json = json;
    }

    void write(Response answer, HttpServletResponse response) throws IOException {
        byte[] body = answer.hasEntity() ? json.writeValueAsBytes(answer.getEntity()) : new byte[0];
        response.setStatus(answer.getStatus());
        for (Map.Entry<String, List<String>> header : answer.getStringHeaders().entrySet()) {
            for (String value : header.getValue()) {
                response.addHeader(header.getKey(), value);
            }
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
