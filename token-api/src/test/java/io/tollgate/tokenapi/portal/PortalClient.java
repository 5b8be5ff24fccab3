package io.tollgate.tokenapi.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test client of /portal/api: keeps the session cookie and CSRF token, records every exchange for the contract test. */
final class PortalClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Every answer any client saw: method, path, status, body. */
    static final List<Answer> RECORDED = new CopyOnWriteArrayList<>();

    private final String base;
    String cookie;
    String csrf;

    PortalClient(String base) {
        this.base = base;
    }

    /** {@code requestBody} is what was sent (null without a body), for the contract test's request check. */
    record Answer(String method, String path, int status, HttpResponse<String> response, JsonNode json,
                  String requestBody) {
        Answer(String method, String path, int status, HttpResponse<String> response, JsonNode json) {
            this(method, path, status, response, json, null);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String text(String field) {
            return json == null || !json.hasNonNull(field) ? null : json.get(field).asText();
        }
    }

    Answer get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    Answer post(String path, Object body, String... headers) {
        return send("POST", path, body, headers);
    }

    Answer delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** Signs up (no session yet: 202) or logs in (keeps the session). */
    Answer enter(String action, String email, String password) {
        return keep(post("/portal/api/" + action, Map.of("email", email, "password", password)));
    }

    /** Opens a sign-up's verification link: the token from the mail and the password; keeps the session. */
    Answer verify(String token, String password) {
        return keep(post("/portal/api/verify", Map.of("token", token, "password", password)));
    }

    /** Signs up, reads the link from the outbox and verifies: the answer of the verification (200 and a session). */
    Answer signUpVerified(String email, String password, io.tollgate.tokenapi.Outbox outbox) {
        Answer a = enter("signup", email, password);
        if (a.status() != 202) {
            return a;
        }
        return verify(outbox.awaitToken(email.trim().toLowerCase(java.util.Locale.ROOT)), password);
    }

    private Answer keep(Answer a) {
        if (a.status() / 100 == 2 && a.header("Set-Cookie") != null) {
            String setCookie = a.header("Set-Cookie");
            cookie = setCookie.substring(0, setCookie.indexOf(';'));
            csrf = a.text("csrfToken");
        }
        return a;
    }

    /** A state-changing call with the session's CSRF token. */
    Answer postCsrf(String path, Object body) {
        return post(path, body, "X-CSRF-Token", csrf);
    }

    Answer send(String method, String path, Object body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
            String sent = null;
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                sent = body instanceof String s ? s : JSON.writeValueAsString(body);
                b.method(method, HttpRequest.BodyPublishers.ofString(sent)).header("Content-Type", "application/json");
            }
            if (cookie != null) {
                b.header("Cookie", cookie);
            }
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body() != null && r.body().trim().startsWith("{") ? JSON.readTree(r.body()) : null;
            Answer a = new Answer(method, path, r.statusCode(), r, json, sent);
            if (path.startsWith("/portal/api/")) {
                RECORDED.add(a);
            }
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
