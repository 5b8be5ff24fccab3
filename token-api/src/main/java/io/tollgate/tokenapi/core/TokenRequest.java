package io.tollgate.tokenapi.core;

import io.tollgate.tokenapi.api.OAuthException;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A token request as read at the entrance: its form parameters (each at most once), every RFC 8707
 * {@code resource} value in order, the client address, and every RFC 9449 {@code DPoP} header value.
 *
 * @param resources  every {@code resource} value sent, in order; empty when none
 * @param dpopProofs every {@code DPoP} header value of the request, empty when none ({@link DpopBinding#keyFor})
 */
public record TokenRequest(Map<String, String> form, List<String> resources, String ip, List<String> dpopProofs) {
    public TokenRequest {
        form = Map.copyOf(Objects.requireNonNull(form, "form"));
        resources = resources == null ? List.of() : List.copyOf(resources);
        dpopProofs = dpopProofs == null ? List.of() : List.copyOf(dpopProofs);
    }

    /** A form parameter, null when absent. */
    public String param(String name) {
        return form.get(name);
    }

    /**
     * A form parameter the request cannot do without.
     *
     * @throws OAuthException invalid_request {@code "<name> is required"} when it is absent
     */
    public String required(String name) {
        return required(name, name + " is required");
    }

    /**
     * {@link #required(String)} with the description of its refusal.
     *
     * @throws OAuthException invalid_request {@code description} when the parameter is absent (or empty: RFC 6749
     *                        §3.1 counts a parameter without a value as omitted)
     */
    public String required(String name, String description) {
        String value = form.get(name);
        if (value == null || value.isEmpty()) {
            throw OAuthException.invalidRequest(description);
        }
        return value;
    }
}
