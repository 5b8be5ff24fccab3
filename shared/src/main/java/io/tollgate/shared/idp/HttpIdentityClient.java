package io.tollgate.shared.idp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.shared.crypto.Secret;
import io.tollgate.shared.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The customer's headless HTTP identity provider ({@link HttpIdentityProviderSettings}):
 * <ul>
 *   <li>{@link #check}: {@code POST url} JSON {@code {"username","password"}}; 200 with a profile, 401/403 = wrong
 *       credentials; sent once, never retried (a password check is not idempotent: lockouts, audit);</li>
 *   <li>{@link #profile}: {@code GET profileUrl} with {@code {sub}} replaced by the URL-encoded id; 200 with a
 *       profile, 404 = no such user; retried up to {@code retries} times with a doubling backoff (from 100 ms)
 *       when the provider is unavailable;</li>
 *   <li>a profile is a JSON object: {@code subjectField} (required, a well-formed string), {@code groupsField}
 *       (array of strings), {@code disabledField} (boolean; absent = false), {@code licenseField} (ISO-8601
 *       instant; absent or null = no licence).</li>
 * </ul>
 * Anything else (another status, a timeout, a refused connection, a body that is not such an object) throws
 * {@link IdentityProviderUnavailableException}: an outage is never a verdict. Redirects are not followed.
 */
public final class HttpIdentityClient {
    public static final String SUB = "{sub}";
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final HttpIdentityProviderSettings settings;
    private final ObjectMapper mapper = Json.mapper();
    private final HttpClient client;
    private final AtomicLong retried = new AtomicLong();

    public HttpIdentityClient(HttpIdentityProviderSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout.toJavaDuration())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * @return the profile when the credentials are right; empty when the provider refuses them (401/403)
     * @throws IdentityProviderUnavailableException when no answer could be had
     */
    public Optional<IdentityProfile> check(String username, Secret password) {
        String body = mapper.createObjectNode().put("username", username).put("password", password.reveal())
                .toString();
        HttpRequest request = request(settings.url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> response = send(request);
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return Optional.empty();
        }
        if (status < 200 || status > 299) {
            throw new IdentityProviderUnavailableException("HTTP IdP credential check answered " + status);
        }
        return Optional.of(parse(response.body()));
    }

    /** Whether profiles can be read ({@code profileUrl} configured). */
    public boolean readsProfiles() {
        return settings.profileUrl != null;
    }

    /**
     * @return the user's profile; empty when the provider has no such user (404)
     * @throws IdentityProviderUnavailableException when no answer could be had, after the configured retries
     * @throws IllegalStateException when no {@code profileUrl} is configured
     */
    public Optional<IdentityProfile> profile(String subject) throws IdentityProviderUnavailableException {
        if (!readsProfiles()) {
            throw new IllegalStateException("no profileUrl configured");
        }
        String encoded = URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
        URI uri;
        try {
            uri = URI.create(settings.profileUrl.replace(SUB, encoded));
        } catch (IllegalArgumentException e) {
            throw new IdentityProviderUnavailableException("HTTP IdP profileUrl is not a URL", e);
        }
        HttpRequest request = request(uri).GET().build();
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 0; ; attempt++) {
            try {
                return readProfile(request);
            } catch (IdentityProviderUnavailableException e) {
                if (attempt >= settings.retries) {
                    throw e;
                }
                retried.incrementAndGet();
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    /** Any HTTP answer of {@code healthUrl} (default {@code url}) counts as reachable. */
    public void ping() {
        URI target = settings.healthUrl != null ? settings.healthUrl : settings.url;
        send(request(target).GET().build());
    }

    /** Profile reads retried so far (each retry after a failed attempt counts once). */
    public long retries() {
        return retried.get();
    }

    private Optional<IdentityProfile> readProfile(HttpRequest request) {
        HttpResponse<byte[]> response = send(request);
        int status = response.statusCode();
        if (status == 404) {
            return Optional.empty();
        }
        if (status < 200 || status > 299) {
            throw new IdentityProviderUnavailableException("HTTP IdP profile read answered " + status);
        }
        return Optional.of(parse(response.body()));
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout.toJavaDuration())
                .header("Accept", "application/json");
        if (settings.authorization != null) {
            builder.header("Authorization", settings.authorization.reveal());
        }
        return builder;
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // the exception's class only: a message may quote the URL, never the body, but keep logs plain
            throw new IdentityProviderUnavailableException("HTTP IdP: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityProviderUnavailableException("HTTP IdP: interrupted", e);
        }
    }

    private IdentityProfile parse(byte[] body) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (IOException e) {
            throw new IdentityProviderUnavailableException("HTTP IdP answered 200 with invalid JSON", e);
        }
        if (json == null || !json.isObject()) {
            throw new IdentityProviderUnavailableException("HTTP IdP answered 200 without a JSON object");
        }
        JsonNode sub = json.get(settings.subjectField);
        // The provider's canonical id, never the name as typed: "Alice", " alice" or "ａｌｉｃｅ" accepted by a
        // lenient provider would otherwise each be a user of their own (own lockout, limits, revocations).
        if (sub == null || !sub.isTextual() || !IdentityProfile.wellFormedSubject(sub.asText())) {
            throw new IdentityProviderUnavailableException("HTTP IdP answered 200 without a usable \""
                    + settings.subjectField + "\"");
        }
        Set<String> groups = new HashSet<>();
        JsonNode groupsNode = json.get(settings.groupsField);
        if (groupsNode != null && groupsNode.isArray()) {
            groupsNode.forEach(g -> {
                if (g.isTextual()) {
                    groups.add(g.asText());
                }
            });
        }
        return new IdentityProfile(sub.asText(), groups, disabled(json.get(settings.disabledField)),
                license(json.get(settings.licenseField)));
    }

    private boolean disabled(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new IdentityProviderUnavailableException("HTTP IdP answered a \"" + settings.disabledField
                    + "\" that is not a boolean");
        }
        return node.booleanValue();
    }

    private Instant license(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (node.isTextual()) {
                return Instant.parse(node.asText());
            }
        } catch (DateTimeParseException e) {
            // fall through: an unreadable answer is no answer, never "no licence"
        }
        throw new IdentityProviderUnavailableException("HTTP IdP answered a \"" + settings.licenseField
                + "\" that is not an ISO-8601 instant");
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityProviderUnavailableException("HTTP IdP: interrupted", e);
        }
    }
}
