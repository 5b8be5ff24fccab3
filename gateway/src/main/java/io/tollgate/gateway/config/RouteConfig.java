package io.tollgate.gateway.config;

import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One API behind the gateway: its name (the token's {@code aud} must hold it), the path prefix it owns,
 * the upstream base URLs (round robin), and the scope each method needs ({@code "*"} = any other method).
 */
public class RouteConfig {

    @NotEmpty
    public String api;

    @NotEmpty
    @Pattern(regexp = "/.*", message = "must start with /")
    public String pathPrefix;

    @NotEmpty
    public List<@NotNull @UpstreamUrl URI> upstreams;

    /**
     * Method (any case: {@code get} is {@code GET}; or {@code *}) to the scope it needs. A method with no entry and no
     * {@code *} is refused.
     */
    @NotNull
    public Map<String, String> scopes = new LinkedHashMap<>();

    @NotNull
    public Duration connectTimeout = Duration.seconds(2);

    /** Longest silence allowed while waiting for the upstream's response bytes. */
    @NotNull
    public Duration readTimeout = Duration.seconds(30);

    public boolean stripPrefix = false;

    public boolean forwardAuthorization = false;

    /**
     * Header families this route's backend treats as identity, stripped from every client request before any
     * step runs, beside the defaults that are always stripped ({@code X-Authenticated-*}, {@code X-Consumer-*},
     * {@code X-Credential-*}, {@code X-Anonymous-*}, {@code X-ApiPlan}). A name, or a prefix ending in {@code *}.
     */
    @NotNull
    public List<@NotNull @Pattern(regexp = "[A-Za-z0-9!#$%&'+.^_`|~-]+\\*?",
            message = "must be a header name, optionally ending in *") String> identityHeaderFamilies = List.of();

    /** The scope {@code method} needs, if the route allows the method at all. */
    public Optional<String> scopeFor(String method) {
        String scope = scopeOf(method);
        return Optional.ofNullable(scope != null ? scope : scopes.get("*"));
    }

    private String scopeOf(String method) {
        String scope = null;
        for (Map.Entry<String, String> entry : scopes.entrySet()) {
            if (entry.getKey().toUpperCase(Locale.ROOT).equals(method)) {
                scope = entry.getValue();
            }
        }
        return scope;
    }
}
