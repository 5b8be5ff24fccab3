package io.tollgate.ops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.ops.stack.StackConfig;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.json.Json;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The demo mobile app (public client {@code demo-mobile}) and the operator, as plain HTTP against one stack: for
 * fault tests that fire thousands of requests from several threads and record every answer with its send and
 * receive time. A transport failure is an answer with status -1 (a fault test counts it instead of dying).
 */
final class MobileClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The token pair of one answer plus the access token's {@code jti} and {@code sid} (its family). */
    record Tokens(String access, String refresh, String jti, String sid, long issuedAt) {
    }

    /** One answer: status, the OAuth error code (or the gateway's body), tokens on success, and when. */
    record Answer(int status, String error, Tokens tokens, long sentNanos, long receivedNanos) {
        boolean ok() {
            return status == 200;
        }
    }

    private final StackConfig config;

    MobileClient(StackConfig config) {
        this.config = config;
    }

    Answer login(String user, String password) {
        return token("grant_type=password&client_id=" + DemoRegistry.CLIENT_ID + "&username=" + encode(user)
                + "&password=" + encode(password));
    }

    Answer refresh(String refreshToken) {
        return token("grant_type=refresh_token&client_id=" + DemoRegistry.CLIENT_ID + "&refresh_token="
                + encode(refreshToken));
    }

    /** A GET through the gateway with {@code access} as the bearer token. */
    Answer call(String access, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://" + config.host + ":" + config.port("gateway") + path))
                .header("Authorization", "Bearer " + access).GET(), false);
    }

    /** RFC 7009 revocation of an access or refresh token by the public client. */
    Answer revoke(String token) {
        return send(form(config.issuer() + "/oauth2/revoke", "client_id=" + DemoRegistry.CLIENT_ID + "&token="
                + encode(token)), false);
    }

    /** The operator API: every token of {@code user}, or only those of the demo client when {@code oneClient}. */
    Answer revokeUser(String user, boolean oneClient) {
        String body = oneClient ? "{\"reason\":\"faults\",\"client_id\":\"" + DemoRegistry.CLIENT_ID + "\"}"
                : "{\"reason\":\"faults\"}";
        return send(HttpRequest.newBuilder(URI.create(config.issuer() + "/admin/users/" + user + "/revoke"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ops:ops-secret".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), false);
    }

    private Answer token(String body) {
        return send(form(config.issuer() + "/oauth2/token", body), true);
    }

    private static HttpRequest.Builder form(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static Answer send(HttpRequest.Builder request, boolean tokenEndpoint) {
        long sent = System.nanoTime();
        HttpResponse<String> answer;
        try {
            answer = HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Answer(-1, e.getClass().getSimpleName(), null, sent, System.nanoTime());
        }
        long received = System.nanoTime();
        if (!tokenEndpoint || answer.statusCode() != 200) {
            return new Answer(answer.statusCode(), answer.statusCode() == 200 ? null : errorOf(answer.body()), null,
                    sent, received);
        }
        try {
            JsonNode json = Json.mapper().readTree(answer.body());
            String access = json.path("access_token").asText();
            JWTClaimsSet claims = SignedJWT.parse(access).getJWTClaimsSet();
            return new Answer(200, null, new Tokens(access, json.path("refresh_token").asText(), claims.getJWTID(),
                    claims.getStringClaim("sid"), claims.getIssueTime().toInstant().getEpochSecond()), sent, received);
        } catch (Exception e) {
            throw new AssertionError("a 200 from the token endpoint that is not a token response", e);
        }
    }

    private static String errorOf(String body) {
        try {
            JsonNode json = Json.mapper().readTree(body);
            return json.has("error") ? json.path("error").asText() : body;
        } catch (Exception e) {
            return body.length() > 80 ? body.substring(0, 80) : body;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
