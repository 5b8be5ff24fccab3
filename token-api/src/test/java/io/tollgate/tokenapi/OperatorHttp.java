package io.tollgate.tokenapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** An operator's HTTP calls to token-api (HTTP Basic as {@code ops}), answered with what a refused operator sees. */
public final class OperatorHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;

    public OperatorHttp(String base) {
        this.base = base;
    }

    /** Status, JSON body (or null) and the {@code WWW-Authenticate} challenge (or null). */
    public record Answer(int status, JsonNode json, String challenge) {
        public String text(String field) {
            return json == null || !json.hasNonNull(field) ? null : json.get(field).asText();
        }
    }

    public Answer send(String method, String path, String body, String password) {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("ops:" + password)
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", basic);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isBlank() ? null : JSON.readTree(r.body());
            return new Answer(r.statusCode(), json, r.headers().firstValue("WWW-Authenticate").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
