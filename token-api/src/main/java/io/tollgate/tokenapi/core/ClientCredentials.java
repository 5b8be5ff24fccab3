package io.tollgate.tokenapi.core;

import io.tollgate.tokenapi.api.OAuthException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * How a client identified itself: HTTP Basic (RFC 7617 plain, or with the form-urlencoded id and secret
 * of RFC 6749 §2.3.1: both are tried), {@code client_secret_post}, or a bare {@code client_id} (public
 * client). {@code idCandidates}/{@code secretCandidates} hold the raw and the url-decoded readings.
 */
public record ClientCredentials(List<String> idCandidates, List<String> secretCandidates, boolean basic) {

    /** @throws OAuthException invalid_request for a malformed or contradictory combination */
    public static ClientCredentials from(String authorization, Map<String, String> form) {
        String formId = form.get("client_id");
        String formSecret = form.get("client_secret");
        if (authorization != null && !authorization.isBlank()) {
            String[] parts = authorization.trim().split("\\s+", 2);
            if (parts.length != 2 || !parts[0].equalsIgnoreCase("Basic")) {
                throw new OAuthException(io.tollgate.tokenapi.api.OAuthError.INVALID_CLIENT,
                        "only HTTP Basic client authentication is supported", true, null);
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new OAuthException(io.tollgate.tokenapi.api.OAuthError.INVALID_CLIENT,
                        "malformed HTTP Basic credentials", true, null);
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new OAuthException(io.tollgate.tokenapi.api.OAuthError.INVALID_CLIENT,
                        "malformed HTTP Basic credentials", true, null);
            }
            if (formSecret != null) {
                throw OAuthException.invalidRequest("use one client authentication method only");
            }
            List<String> ids = readings(decoded.substring(0, colon));
            List<String> secrets = readings(decoded.substring(colon + 1));
            if (formId != null && !ids.contains(formId)) {
                throw OAuthException.invalidRequest("client_id does not match the HTTP Basic credentials");
            }
            return new ClientCredentials(ids, secrets, true);
        }
        if (formId == null) {
            throw OAuthException.invalidRequest("client_id is required");
        }
        return new ClientCredentials(List.of(formId), formSecret == null ? List.of() : List.of(formSecret), false);
    }

    private static List<String> readings(String raw) {
        List<String> out = new ArrayList<>(2);
        out.add(raw);
        try {
            String decoded = FormParser.decode(raw);
            if (!decoded.equals(raw)) {
                out.add(decoded);
            }
        } catch (OAuthException e) {
            // not form-encoded: the raw reading is the only one
        }
        return List.copyOf(out);
    }

    public boolean hasSecret() {
        return !secretCandidates.isEmpty();
    }

    @Override
    public String toString() {
        return "ClientCredentials[ids=" + idCandidates + ", secret=[REDACTED], basic=" + basic + "]";
    }
}
