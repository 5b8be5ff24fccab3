package io.tollgate.tokenapi.idp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.shared.crypto.Secret;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** Credentials checked by a headless HTTP API (see {@link HttpIdentityProviderFactory}). */
public final class HttpIdentityProvider implements IdentityProvider {
    private final HttpIdentityProviderFactory config;
    private final ObjectMapper mapper;
    private final HttpClient client;

    public HttpIdentityProvider(HttpIdentityProviderFactory config, ObjectMapper mapper) {
        this.config = config;
        this.mapper = mapper;
        this.client = HttpClient.newBuilder().connectTimeout(config.getConnectTimeout().toJavaDuration())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Optional<Identity> authenticate(String username, Secret password) {
        if (password == null || password.isEmpty() || username == null || username.isBlank()) {
            return Optional.empty();
        }
        ObjectNode body = mapper.createObjectNode().put("username", username).put("password", password.reveal());
        HttpRequest.Builder request = HttpRequest.newBuilder(config.getUrl())
                .timeout(config.getRequestTimeout().toJavaDuration())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (config.getAuthorization() != null) {
            request.header("Authorization", config.getAuthorization().reveal());
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IdentityProviderUnavailableException("HTTP IdP: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityProviderUnavailableException("HTTP IdP: interrupted", e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            return Optional.empty();
        }
        if (status < 200 || status > 299) {
            throw new IdentityProviderUnavailableException("HTTP IdP answered " + status);
        }
        try {
            JsonNode json = mapper.readTree(response.body());
            if (json == null || !json.isObject()) {
                throw new IdentityProviderUnavailableException("HTTP IdP answered 2xx without a JSON object");
            }
            JsonNode sub = json.get(config.getSubjectField());
            // The provider's canonical id, never the name as typed: "Alice", " alice" or "ａｌｉｃｅ" accepted by
            // a lenient provider would otherwise each be a user of their own (own lockout, limits, revocations).
            if (sub == null || !sub.isTextual() || !CanonicalIds.wellFormed(sub.asText())) {
                throw new IdentityProviderUnavailableException("HTTP IdP answered 2xx without a usable \""
                        + config.getSubjectField() + "\"");
            }
            String subject = sub.asText();
            Set<String> groups = new HashSet<>();
            JsonNode groupsNode = json.get(config.getGroupsField());
            if (groupsNode != null && groupsNode.isArray()) {
                groupsNode.forEach(g -> {
                    if (g.isTextual()) {
                        groups.add(g.asText());
                    }
                });
            }
            return Optional.of(new Identity(subject, groups));
        } catch (IOException e) {
            throw new IdentityProviderUnavailableException("HTTP IdP answered 2xx with invalid JSON", e);
        }
    }

    /** A credential-check API names the user only once the password is right. */
    @Override
    public Optional<String> resolve(String username) {
        return null;
    }

    /** A credential-check API cannot look users up: refreshes rely on the scope granted at login. */
    @Override
    public Optional<Identity> lookup(String username) {
        return null;
    }

    @Override
    public void ping() {
        var target = config.getHealthUrl() != null ? config.getHealthUrl() : config.getUrl();
        try {
            client.send(HttpRequest.newBuilder(target).timeout(config.getRequestTimeout().toJavaDuration()).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IdentityProviderUnavailableException("HTTP IdP unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IdentityProviderUnavailableException("interrupted", e);
        }
    }
}
