package io.tollgate.gateway.config;

import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/**
 * The per-connection settings of the routes the registry defines ({@code ApiRecord}s carry none): upstream connect
 * and read timeouts, and the identity header families their backends trust beside the defaults. One set for the
 * whole gateway; a static route in {@code routes:} keeps its own.
 */
public class RouteDefaults {

    @NotNull
    public Duration connectTimeout = Duration.seconds(2);

    /** Longest silence allowed while waiting for the upstream's response bytes. */
    @NotNull
    public Duration readTimeout = Duration.seconds(30);

    /**
     * Header families the backend treats as identity, stripped from every client request before any step runs,
     * beside the defaults that are always stripped ({@code X-Authenticated-*}, {@code X-Consumer-*},
     * {@code X-Credential-*}, {@code X-Anonymous-*}, {@code X-ApiPlan}). A name, or a prefix ending in {@code *}.
     */
    @NotNull
    public List<@NotNull @Pattern(regexp = "[A-Za-z0-9!#$%&'+.^_`|~-]+\\*?",
            message = "must be a header name, optionally ending in *") String> identityHeaderFamilies = List.of();
}
