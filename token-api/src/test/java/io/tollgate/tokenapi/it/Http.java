package io.tollgate.tokenapi.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/** A small hand-built HTTP client for the token-api tests; remembers every raw token it saw. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Queue<String> SEEN_TOKENS = new ConcurrentLinkedQueue<>();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final boolean remember;
    private final HttpClient client;

    Http(String base) {
        this(base, true, CLIENT);
    }

    private Http(String base, boolean remember, HttpClient client) {
        this.base = base;
        this.remember = remember;
        this.client = client;
    }

    /**
     * A client of its own that does not remember tokens: for high-volume tests whose tokens the secret scan can
     * skip, and whose many pooled connections must not be reused (stale) by the other tests.
     */
    Http unrecorded() {
        return new Http(base, false, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    record Answer(int status, HttpResponse<String> response, JsonNode json) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String text(String field) {
            return json == null || json.get(field) == null ? null : json.get(field).asText();
        }
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Answer postForm(String path, Map<String, String> params, String... headers) {
        return post(path, "application/x-www-form-urlencoded", form(params).getBytes(StandardCharsets.UTF_8), headers);
    }

    Answer post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(client, b.build(), remember);
    }

    Answer get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(client, b.build(), remember);
    }

    private static Answer send(HttpClient client, HttpRequest request, boolean remember) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String body = response.body();
            if (body != null && !body.isBlank() && body.trim().startsWith("{")) {
                json = JSON.readTree(body);
                for (String field : new String[] {"access_token", "refresh_token"}) {
                    if (remember && json.hasNonNull(field)) {
                        SEEN_TOKENS.add(json.get(field).asText());
                    }
                }
            }
            return new Answer(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
