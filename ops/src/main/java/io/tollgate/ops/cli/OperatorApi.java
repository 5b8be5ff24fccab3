package io.tollgate.ops.cli;

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

/**
 * token-api's operator API ({@code /admin/...} and the portal's {@code POST /portal/api/admin/...}, HTTP
 * Basic as an operator account).
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

    /** The subscription as token-api's operator queue shows it (subscriptionId, clientId, api, planId, version, ...). */
    JsonNode subscription(String subscriptionId) {
        String path = "/portal/api/admin/subscriptions";
        String answer = send("GET", path, Map.of(), Map.of());
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
     * Approves or rejects ({@code decision}) the subscription as reviewed: {@code planId} at {@code version}.
     * Returns the written subscription as token-api answers it.
     */
    JsonNode decideSubscription(String subscriptionId, String decision, String planId, long version) {
        Map<String, Object> reviewed = new LinkedHashMap<>();
        reviewed.put("planId", planId);
        reviewed.put("version", version);
        boolean approve = decision.equals("approve");
        String what = approve ? "approval" : "rejection";
        String answer = send("POST", "/portal/api/admin/subscriptions/" + segment(subscriptionId) + "/" + decision,
                reviewed, Map.of(404, noSubscription(subscriptionId),
                        409, "subscription " + subscriptionId + " changed since plan " + planId + " version " + version
                                + " was reviewed; it was not " + (approve ? "approved" : "rejected") + " (409)"));
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
        String path = "/admin/users/" + segment(user) + "/families"
                + (client == null ? "" : "?client_id=" + URLEncoder.encode(client, StandardCharsets.UTF_8));
        String answer = send("GET", path, Map.of(), Map.of());
        try {
            JsonNode list = TollgateCli.mapper().readTree(answer).path("families");
            if (!list.isArray()) {
                throw new CliException("token-api answered " + path + " without a families list");
            }
            List<FamiliesCommand.Family> out = new ArrayList<>();
            for (JsonNode f : list) {
                out.add(new FamiliesCommand.Family(f.path("familyId").asText(), f.path("user").asText(),
                        f.path("client").asText(), f.path("generation").asInt(),
                        Instant.parse(f.path("createdAt").asText()), Instant.parse(f.path("expiresAt").asText()),
                        f.path("scope").asText(), f.path("subscriptionId").asText(), f.path("planId").asText()));
            }
            return out;
        } catch (IOException | DateTimeParseException e) {
            throw new CliException("token-api answered " + path + " with something else than a families list");
        }
    }

    private String post(String path, Map<String, String> body) {
        return send("POST", path, body, Map.of());
    }

    /**
     * Sends {@code body} (none when empty) and returns the answer's body on 200/204.
     *
     * @param messages the message for a refusal status (404, 409) where the caller knows better than a generic one;
     *                 token-api's own error description is appended
     */
    private String send(String method, String path, Map<String, ?> body, Map<Integer, String> messages) {
        String url = base + path;
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", basic(operator, password))
                    .header("Accept", "application/json");
            if (body.isEmpty()) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(TollgateCli.mapper().writeValueAsString(body)));
            }
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException("token-api is not reachable at " + base + " (is the stack running? --token-api)");
        } catch (IOException e) {
            throw new CliException("request to " + url + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        int status = response.statusCode();
        if (status == 204 || status == 200) {
            return response.body();
        }
        String detail = describe(response.body());
        if (messages.containsKey(status)) {
            throw new CliException(messages.get(status) + (status == 404 ? "" : detail));
        }
        throw new CliException(switch (status) {
            case 401 -> "token-api refused the operator credentials of '" + operator + "' (401)" + detail;
            case 403 -> "operator '" + operator + "' may not do this (403)" + detail;
            case 404 -> "not found at " + url + " (404)" + detail;
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
