package io.tollgate.gateway.config;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One API behind the gateway: its name (the token's {@code aud} must hold it), the path prefix it owns,
 * the upstream base URLs (round robin), and the scope each method needs ({@code "*"} = any other method); its
 * connection settings and identity header families as {@link RouteDefaults} names them, its own.
 */
public class RouteConfig extends RouteDefaults {

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

    public boolean stripPrefix = false;

    public boolean forwardAuthorization = false;
}
