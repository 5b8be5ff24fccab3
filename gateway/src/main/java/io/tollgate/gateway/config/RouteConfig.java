package io.tollgate.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;
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
    private String api;

    @NotEmpty
    @Pattern(regexp = "/.*", message = "must start with /")
    private String pathPrefix;

    @NotEmpty
    private List<@NotNull @UpstreamUrl URI> upstreams;

    /** Method (upper case, or {@code *}) to the scope it needs. A method with no entry and no {@code *} is refused. */
    @NotNull
    private Map<String, String> scopes = new LinkedHashMap<>();

    @NotNull
    private Duration connectTimeout = Duration.seconds(2);

    /** Longest silence allowed while waiting for the upstream's response bytes. */
    @NotNull
    private Duration readTimeout = Duration.seconds(30);

    private boolean stripPrefix = false;

    private boolean forwardAuthorization = false;

    /**
     * Header families this route's backend treats as identity, stripped from every client request before any
     * step runs, beside the defaults that are always stripped ({@code X-Authenticated-*}, {@code X-Consumer-*},
     * {@code X-Credential-*}, {@code X-Anonymous-*}, {@code X-ApiPlan}). A name, or a prefix ending in {@code *}.
     */
    @NotNull
    private List<@NotNull @Pattern(regexp = "[A-Za-z0-9!#$%&'+.^_`|~-]+\\*?",
            message = "must be a header name, optionally ending in *") String> identityHeaderFamilies = List.of();

    @JsonProperty
    public String getApi() {
        return api;
    }

    @JsonProperty
    public void setApi(String api) {
        this.api = api;
    }

    @JsonProperty
    public String getPathPrefix() {
        return pathPrefix;
    }

    @JsonProperty
    public void setPathPrefix(String pathPrefix) {
        this.pathPrefix = pathPrefix;
    }

    @JsonProperty
    public List<URI> getUpstreams() {
        return upstreams;
    }

    @JsonProperty
    public void setUpstreams(List<URI> upstreams) {
        this.upstreams = upstreams;
    }

    @JsonProperty
    public Map<String, String> getScopes() {
        return scopes;
    }

    @JsonProperty
    public void setScopes(Map<String, String> scopes) {
        Map<String, String> normalized = new LinkedHashMap<>();
        scopes.forEach((method, scope) -> normalized.put(method.toUpperCase(Locale.ROOT), scope));
        this.scopes = normalized;
    }

    @JsonProperty
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    @JsonProperty
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @JsonProperty
    public Duration getReadTimeout() {
        return readTimeout;
    }

    @JsonProperty
    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    @JsonProperty
    public boolean isStripPrefix() {
        return stripPrefix;
    }

    @JsonProperty
    public void setStripPrefix(boolean stripPrefix) {
        this.stripPrefix = stripPrefix;
    }

    @JsonProperty
    public boolean isForwardAuthorization() {
        return forwardAuthorization;
    }

    @JsonProperty
    public void setForwardAuthorization(boolean forwardAuthorization) {
        this.forwardAuthorization = forwardAuthorization;
    }

    @JsonProperty
    public List<String> getIdentityHeaderFamilies() {
        return identityHeaderFamilies;
    }

    @JsonProperty
    public void setIdentityHeaderFamilies(List<String> identityHeaderFamilies) {
        this.identityHeaderFamilies = identityHeaderFamilies;
    }

    /** The scope {@code method} needs, if the route allows the method at all. */
    public Optional<String> scopeFor(String method) {
        String scope = scopes.get(method);
        return Optional.ofNullable(scope != null ? scope : scopes.get("*"));
    }
}
