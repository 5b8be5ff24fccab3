package io.tollgate.tokenapi.core;

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
}
