package io.tollgate.ops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.json.Json;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tollgate.ops.stack.StackConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A developer using the portal's JSON API (the one its web UI calls) with a session cookie and the CSRF token:
 * for end-to-end checks that need a fresh application without going through the browser.
 */
public final class PortalDeveloper {
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private final String csrf;

    private PortalDeveloper(StackConfig config) throws Exception {
        this.api = config.issuer() + "/portal/api";
        String email = "dev-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        send("POST", "/signup", "{\"email\":\"" + email + "\",\"password\":\"a-long-dev-passphrase\"}", null, 202);
        JsonNode session = send("POST", "/verify", "{\"token\":\"" + verificationToken(config, email)
                + "\",\"password\":\"a-long-dev-passphrase\"}", null, 200);
        this.csrf = session.path("csrfToken").asText();
    }

    private PortalDeveloper(StackConfig config, String email, String password) throws Exception {
        this.api = config.issuer() + "/portal/api";
        JsonNode session = send("POST", "/login", Json.mapper().writeValueAsString(
                java.util.Map.of("email", email, "password", password)), null, 200);
        this.csrf = session.path("csrfToken").asText();
    }

    /** Logs an existing developer in (e.g. the demo apps' owner). */
    public static PortalDeveloper logIn(StackConfig config, String email, String password) throws Exception {
        return new PortalDeveloper(config, email, password);
    }

    /** Signs a new developer up at the stack's portal and verifies the address with the link from its outbox. */
    public static PortalDeveloper signUp(StackConfig config) throws Exception {
        return new PortalDeveloper(config);
    }

    /** The token of the newest verification mail to {@code email} in the local stack's outbox (waits up to 10 s). */
    public static String verificationToken(StackConfig config, String email) throws Exception {
        Path outbox = config.dataDir().resolve("token-api").resolve("outbox");
        Pattern link = Pattern.compile("/portal/#verify/([A-Za-z0-9_-]{43})");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(outbox)) {
                try (Stream<Path> files = Files.list(outbox)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        String mail = Files.readString(file);
                        Matcher m = link.matcher(mail);
                        if (mail.startsWith("To: " + email + "\n") && m.find()) {
                            return m.group(1);
                        }
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no verification mail to " + email + " in " + outbox);
    }

    /**
     * Registers a public (mobile) application whose users log in with the password grant (and refresh), and returns
     * its client id.
     */
    public String registerPublicApp(String name) throws Exception {
        return send("POST", "/apps", "{\"name\":\"" + name + "\",\"type\":\"public\","
                + "\"grantTypes\":[\"password\",\"refresh_token\"]}", csrf, 201).path("clientId").asText();
    }

    /** Subscribes an application; returns the subscription (id, status, ...). */
    public JsonNode subscribe(String clientId, String api, String planId) throws Exception {
        return send("POST", "/apps/" + clientId + "/subscriptions",
                "{\"api\":\"" + api + "\",\"planId\":\"" + planId + "\"}", csrf, 201);
    }

    /** Replaces an application's redirect URIs (authorization code flow); returns the application. */
    public JsonNode setRedirectUris(String clientId, java.util.List<String> uris) throws Exception {
        return send("PUT", "/apps/" + clientId + "/redirect-uris",
                Json.mapper().writeValueAsString(java.util.Map.of("redirectUris", uris)), csrf, 200);
    }

    /** Deletes an application (token-api tombstones it and its subscriptions). */
    public void deleteApp(String clientId) throws Exception {
        send("DELETE", "/apps/" + clientId, null, csrf, 204);
    }

    public JsonNode app(String clientId) throws Exception {
        return send("GET", "/apps/" + clientId, null, null, 200);
    }

    public JsonNode usage(String clientId) throws Exception {
        return send("GET", "/apps/" + clientId + "/usage", null, null, 200);
    }

    private JsonNode send(String method, String path, String body, String csrfToken, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(15));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (csrfToken != null) {
            request.header("X-CSRF-Token", csrfToken);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isEqualTo(expected);
        return Json.mapper().readTree(answer.body());
    }
}
