package io.tollgate.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * token-api's operator API ({@code /admin/...} and the portal's {@code /portal/api/admin/...}, HTTP Basic as an
 * operator account; every POST as {@code Content-Type: application/json}, which token-api requires of operator
 * changes). The portal's admin changes also need a portal session and its CSRF token ({@link #portalLogin()}).
 */
final class OperatorApi {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final String base;
    private final String operator;
    private final char[] password;

    OperatorApi(String base, String operator, char[] password) {
        this.base = base;
        this.operator = operator;
        this.password = password;
    }

    void revokeUser(String user, String client, String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        if (reason != null) {
            body.put("reason", reason);
        }
        if (client != null) {
            body.put("client_id", client);
        }
        post("/admin/users/" + segment(user) + "/revoke", body);
    }

    void revokeClient(String client, String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        if (reason != null) {
            body.put("reason", reason);
        }
        post("/admin/clients/" + segment(client) + "/revoke", body);
    }

    /** Blocks the user (and revokes every token of theirs); returns the block as token-api wrote it. */
    UsersCommand.Block blockUser(String user, String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        if (reason != null) {
            body.put("reason", reason);
        }
        String path = "/admin/users/" + segment(user) + "/block";
        // a JSON body even without a reason: token-api takes operator changes as JSON only
        return block(path, send("POST", path, body.isEmpty() ? Map.of("reason", "") : body, Map.of(), null));
    }

    /** Lifts the block on the user; returns the block that was lifted. */
    UsersCommand.Block unblockUser(String user) {
        String path = "/admin/users/" + segment(user) + "/block";
        return block(path, send("DELETE", path, Map.of(), Map.of(404, "user " + user + " is not blocked (404)"),
                null));
    }

    /** Every blocked user, oldest block first. */
    List<UsersCommand.Block> blockedUsers() {
        return list("/admin/users/blocked", "blocked", OperatorApi::block);
    }

    private static UsersCommand.Block block(String path, String answer) {
        try {
            JsonNode json = TollgateCli.mapper().readTree(answer);
            if (json == null || !json.hasNonNull("user") || !json.hasNonNull("blockedAt")) {
                throw new CliException("token-api answered " + path + " without a block");
            }
            return block(json);
        } catch (IOException | DateTimeParseException e) {
            throw new CliException("token-api answered " + path + " with something else than a block");
        }
    }

    private static UsersCommand.Block block(JsonNode b) {
        return new UsersCommand.Block(b.path("user").asText(), b.hasNonNull("reason") ? b.get("reason").asText() : null,
                b.path("operator").asText(), Instant.parse(b.path("blockedAt").asText()));
    }

    /**
     * The subscription as token-api's operator queue shows it (subscriptionId, clientId, api, planId, version, ...),
     * read with HTTP Basic and the portal session.
     */
    JsonNode subscription(String subscriptionId, PortalSession session) {
        String path = "/portal/api/admin/subscriptions";
        String answer = send("GET", path, Map.of(), Map.of(), session);
        try {
            JsonNode list = TollgateCli.mapper().readTree(answer).path("subscriptions");
            if (!list.isArray()) {
                throw new CliException("token-api answered " + path + " without a subscriptions list");
            }
            for (JsonNode sub : list) {
                if (subscriptionId.equals(sub.path("subscriptionId").asText()) && sub.hasNonNull("planId")
                        && sub.path("version").isIntegralNumber()) {
                    return sub;
                }
            }
        } catch (IOException e) {
            throw new CliException("token-api answered " + path + " with no JSON");
        }
        throw new CliException(noSubscription(subscriptionId));
    }

    /**
     * Approves or rejects ({@code decision}) the subscription as reviewed: {@code planId} at {@code version}, with
     * HTTP Basic, the portal session's cookie and its CSRF token (the portal refuses an admin change without them,
     * Basic or not: a browser would send cached Basic credentials with a cross-site form). Returns the written
     * subscription as token-api answers it.
     */
    JsonNode decideSubscription(String subscriptionId, String decision, String planId, long version,
                                PortalSession session) {
        Map<String, Object> reviewed = new LinkedHashMap<>();
        reviewed.put("planId", planId);
        reviewed.put("version", version);
        boolean approve = decision.equals("approve");
        String what = approve ? "approval" : "rejection";
        String answer = send("POST", "/portal/api/admin/subscriptions/" + segment(subscriptionId) + "/" + decision,
                reviewed, Map.of(404, noSubscription(subscriptionId),
                        409, "subscription " + subscriptionId + " changed since plan " + planId + " version " + version
                                + " was reviewed; it was not " + (approve ? "approved" : "rejected") + " (409)"),
                session);
        try {
            JsonNode json = TollgateCli.mapper().readTree(answer);
            if (json == null || !json.isObject() || !json.hasNonNull("status")) {
                throw new CliException("token-api answered the " + what + " of " + subscriptionId
                        + " without a subscription");
            }
            return json;
        } catch (IOException e) {
            throw new CliException("token-api answered the " + what + " of " + subscriptionId + " with no JSON");
        }
    }

    private static String noSubscription(String subscriptionId) {
        return "no subscription " + subscriptionId + " (404: unknown id, or its application was deleted)";
    }

    /** The user's live token families (all clients, or one), oldest first, as token-api judges them. */
    List<FamiliesCommand.Family> families(String user, String client) {
        return list("/admin/users/" + segment(user) + "/families"
                + (client == null ? "" : "?client_id=" + URLEncoder.encode(client, StandardCharsets.UTF_8)),
                "families", f -> new FamiliesCommand.Family(f.path("familyId").asText(), f.path("user").asText(),
                        f.path("client").asText(), f.path("generation").asInt(),
                        Instant.parse(f.path("createdAt").asText()), Instant.parse(f.path("expiresAt").asText()),
                        f.path("scope").asText(), f.path("subscriptionId").asText(), f.path("planId").asText()));
    }

    /** The elements of the {@code field} list that {@code GET path} answers, each read by {@code read}. */
    private <T> List<T> list(String path, String field, Function<JsonNode, T> read) {
        String answer = send("GET", path, Map.of(), Map.of(), null);
        try {
            JsonNode list = TollgateCli.mapper().readTree(answer).path(field);
            if (!list.isArray()) {
                throw new CliException("token-api answered " + path + " without a " + field + " list");
            }
            List<T> out = new ArrayList<>();
            for (JsonNode element : list) {
                out.add(read.apply(element));
            }
            return out;
        } catch (IOException | DateTimeParseException e) {
            throw new CliException("token-api answered " + path + " with something else than a " + field + " list");
        }
    }

    /** The registry's APIs and plans in the shape of {@code tollgate.yaml} ({@code GET /admin/config}). */
    JsonNode config() {
        return json("/admin/config", send("GET", "/admin/config", Map.of(), Map.of(), null));
    }

    /**
     * Sends a configuration to {@code POST /admin/config/diff} ({@code apply} false) or {@code PUT /admin/config}
     * ({@code apply} true) and returns the answer, {@code {"changes": [...]}}; a 400 with token-api's list of errors
     * becomes one {@link CliException} naming each.
     */
    JsonNode config(JsonNode document, boolean apply) {
        String path = apply ? "/admin/config" : "/admin/config/diff";
        HttpResponse<String> response = request(apply ? "PUT" : "POST", path, document, null, Duration.ofSeconds(60));
        int status = response.statusCode();
        if (status == 200) {
            return json(path, response.body());
        }
        if (status == 400) {
            JsonNode errors = json(path, response.body()).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                StringBuilder message = new StringBuilder("token-api refused the configuration (400), nothing "
                        + "changed:");
                errors.forEach(e -> message.append("\n  ").append(e.path("path").asText("/")).append(": ")
                        .append(e.path("message").asText()));
                throw new CliException(message.toString());
            }
        }
        throw refusal(status, path, response.body());
    }

    private static JsonNode json(String path, String body) {
        try {
            JsonNode json = TollgateCli.mapper().readTree(body);
            if (json == null || !json.isObject()) {
                throw new CliException("token-api answered " + path + " without a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new CliException("token-api answered " + path + " with no JSON");
        }
    }

    private String post(String path, Map<String, String> body) {
        return send("POST", path, body, Map.of(), null);
    }

    /** A portal session: its cookie ({@code name=value}) and CSRF token. */
    record PortalSession(String cookie, String csrf) {
        @Override
        public String toString() {
            return "PortalSession[REDACTED]";
        }
    }

    /**
     * Logs in to the portal as the operator (token-api's operator accounts are the portal's admins); end it with
     * {@link #portalLogout(PortalSession)}.
     */
    PortalSession portalLogin() {
        String url = base + "/portal/api/login";
        byte[] body = loginBody();
        HttpResponse<String> response;
        try {
            response = exchange(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        } finally {
            Arrays.fill(body, (byte) 0);
        }
        if (response.statusCode() == 401) {
            throw new CliException("token-api refused the operator credentials of '" + operator + "' (401)"
                    + describe(response.body()));
        }
        if (response.statusCode() != 200) {
            throw new CliException("token-api answered " + response.statusCode() + " for /portal/api/login"
                    + describe(response.body()));
        }
        String cookie = response.headers().firstValue("Set-Cookie").map(c -> c.split(";", 2)[0].trim()).orElse("");
        String csrf;
        try {
            csrf = TollgateCli.mapper().readTree(response.body()).path("csrfToken").asText("");
        } catch (IOException e) {
            csrf = "";
        }
        if (cookie.isEmpty() || csrf.isEmpty()) {
            throw new CliException("token-api answered the portal log-in without a session");
        }
        return new PortalSession(cookie, csrf);
    }

    /** Ends the session; a failure is ignored (the session expires by itself, 8 h). */
    void portalLogout(PortalSession session) {
        try {
            send("POST", "/portal/api/logout", Map.of(), Map.of(), session);
        } catch (CliException e) {
            // the decision's outcome is what the operator asked about
        }
    }

    /** {@code {"email": operator, "password": ...}} as UTF-8 bytes, the password never held in a String. */
    private byte[] loginBody() {
        char[] json = null;
        try {
            String head = "{\"email\":" + TollgateCli.mapper().writeValueAsString(operator) + ",\"password\":\"";
            json = new char[head.length() + password.length * 6 + 2];
            int n = 0;
            for (char c : head.toCharArray()) {
                json[n++] = c;
            }
            for (char c : password) {
                if (c == '"' || c == '\\' || c < 0x20) {
                    String e = String.format("\\u%04x", (int) c);
                    for (char x : e.toCharArray()) {
                        json[n++] = x;
                    }
                } else {
                    json[n++] = c;
                }
            }
            json[n++] = '"';
            json[n++] = '}';
            var encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(json, 0, n));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new CliException("cannot encode the operator name");
        } finally {
            if (json != null) {
                Arrays.fill(json, '\0');
            }
        }
    }

    /**
     * Sends {@code body} (none when empty) and returns the answer's body on 200/204.
     *
     * @param messages the message for a refusal status (404, 409) where the caller knows better than a generic one;
     *                 token-api's own error description is appended
     * @param session  a portal session whose cookie and CSRF token go along, or {@code null}
     */
    private String send(String method, String path, Map<String, ?> body, Map<Integer, String> messages,
                        PortalSession session) {
        HttpResponse<String> response = request(method, path, body.isEmpty() ? null : body, session,
                Duration.ofSeconds(10));
        int status = response.statusCode();
        if (status == 204 || status == 200) {
            return response.body();
        }
        if (messages.containsKey(status)) {
            throw new CliException(messages.get(status) + (status == 404 ? "" : describe(response.body())));
        }
        throw refusal(status, path, response.body());
    }

    /**
     * Sends {@code body} as JSON ({@code null}: none) with the operator's HTTP Basic credentials.
     *
     * @param session a portal session whose cookie and CSRF token go along, or {@code null}
     */
    private HttpResponse<String> request(String method, String path, Object body, PortalSession session,
                                         Duration timeout) {
        String url = base + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", basic(operator, password))
                .header("Accept", "application/json");
        if (session != null) {
            request.header("Cookie", session.cookie()).header("X-CSRF-Token", session.csrf());
        }
        if (body == null) {
            // token-api's operator changes take JSON only (a cross-site form cannot send it), with or without a body
            if (!method.equals("GET")) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(TollgateCli.mapper().writeValueAsString(body)));
            } catch (IOException e) {
                throw new CliException("request to " + url + " failed: " + e.getMessage());
            }
        }
        return exchange(request.build());
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException("token-api is not reachable at " + base + " (is the stack running? --token-api)");
        } catch (IOException e) {
            throw new CliException("request to " + request.uri() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** The refusal of a status the caller has no message of its own for, with token-api's error description. */
    private CliException refusal(int status, String path, String body) {
        String detail = describe(body);
        return new CliException(switch (status) {
            case 401 -> "token-api refused the operator credentials of '" + operator + "' (401)" + detail;
            case 403 -> "operator '" + operator + "' may not do this (403)" + detail;
            case 404 -> "not found at " + base + path + " (404)" + detail;
            default -> "token-api answered " + status + " for " + path + detail;
        });
    }

    /** The OAuth-style error of a JSON body, else nothing (never the raw body, which could be a page). */
    static String describe(String body) {
        try {
            JsonNode json = TollgateCli.mapper().readTree(body);
            if (json != null && json.has("error")) {
                return ": " + json.get("error").asText()
                        + (json.has("error_description") ? " (" + json.get("error_description").asText() + ")" : "");
            }
            if (json != null && json.has("message")) {
                return ": " + json.get("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON
        }
        return "";
    }

    /** The {@code Authorization} header of an operator's HTTP Basic credentials. */
    static String basic(String operator, char[] password) {
        // RFC 7617 credentials; the char[] is not kept in a String beyond this call's encoding buffer.
        var credentials = StandardCharsets.UTF_8.encode(CharBuffer.wrap(concat(operator.toCharArray(), ':', password)));
        byte[] bytes = new byte[credentials.remaining()];
        credentials.get(bytes);
        String header = "Basic " + Base64.getEncoder().encodeToString(bytes);
        Arrays.fill(bytes, (byte) 0);
        return header;
    }

    private static char[] concat(char[] a, char sep, char[] b) {
        char[] out = new char[a.length + 1 + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        out[a.length] = sep;
        System.arraycopy(b, 0, out, a.length + 1, b.length);
        return out;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
