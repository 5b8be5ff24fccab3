package io.tollgate.tokenapi.core;

import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a caller identified itself: HTTP Basic, {@code client_secret_post}, or a bare {@code client_id} (public
 * client). This is token-api's one reading of HTTP Basic, for clients, resource servers and operators alike: the
 * plain RFC 7617 credentials and the form-urlencoded id and secret of RFC 6749 §2.3.1 (which oauth4webapi, for
 * one, applies even to {@code -._~}) are both tried. {@code idCandidates}/{@code secretCandidates} hold the raw
 * reading first, then the url-decoded one when it differs ({@link FormParser#decode}, the one percent-decoder).
 */
public record ClientCredentials(List<String> idCandidates, List<String> secretCandidates, boolean basic) {

    /** @throws OAuthException invalid_request for a malformed or contradictory combination */
    public static ClientCredentials from(String authorization, Map<String, String> form) {
        String formId = form.get("client_id");
        String formSecret = form.get("client_secret");
        if (authorization != null && !authorization.isBlank()) {
            if (!isBasic(authorization)) {
                throw new OAuthException(OAuthError.INVALID_CLIENT,
                        "only HTTP Basic client authentication is supported", true, null);
            }
            ClientCredentials basic = basic(authorization).orElseThrow(() -> new OAuthException(
                    OAuthError.INVALID_CLIENT, "malformed HTTP Basic credentials", true, null));
            if (formSecret != null) {
                throw OAuthException.invalidRequest("use one client authentication method only");
            }
            if (formId != null && !basic.idCandidates().contains(formId)) {
                throw OAuthException.invalidRequest("client_id does not match the HTTP Basic credentials");
            }
            return basic;
        }
        if (formId == null) {
            throw OAuthException.invalidRequest("client_id is required");
        }
        return new ClientCredentials(List.of(formId), formSecret == null ? List.of() : List.of(formSecret), false);
    }

    /**
     * The HTTP Basic credentials of an {@code Authorization} header; empty when there are none: no header, another
     * scheme, a value that is not base64, or no {@code id:secret} with a non-empty id.
     */
    public static Optional<ClientCredentials> basic(String authorization) {
        if (authorization == null || !isBasic(authorization)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.trim().split("\\s+", 2)[1].trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ClientCredentials(readings(decoded.substring(0, colon)),
                readings(decoded.substring(colon + 1)), true));
    }

    private static boolean isBasic(String authorization) {
        String[] parts = authorization.trim().split("\\s+", 2);
        return parts.length == 2 && parts[0].equalsIgnoreCase("Basic");
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
