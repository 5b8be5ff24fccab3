package io.tollgate.tokenapi.portal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.shared.events.ApplicationRecord;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OAuth grants a developer may choose for an application in the portal. New apps get {@link #DEFAULT}. Only a
 * confidential app may have {@code client_credentials}: a public client has no secret to prove it is itself. The
 * {@code password} grant may be chosen, but it is usable only on a plan that allows it: operators decide that per
 * plan, and the portal shows it as such.
 */
final class AppGrants {
    static final String CLIENT_CREDENTIALS = "client_credentials";
    /** Every grant a developer may choose, in the order the portal shows them. */
    static final List<String> CHOOSABLE = List.of("authorization_code", "refresh_token", CLIENT_CREDENTIALS,
            "password");
    static final Set<String> DEFAULT = Set.of("authorization_code", "refresh_token");

    private AppGrants() {
    }

    /**
     * The grants named by the JSON array {@code field} of {@code json}, checked for an app of {@code type};
     * {@code fallback} when the field is absent.
     *
     * @throws PortalException 400 for anything but a non-empty array of known grants fit for the client type
     */
    static Set<String> read(JsonNode json, String field, ApplicationRecord.ClientType type, Set<String> fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw PortalException.badRequest(field + " is required");
            }
            return check(fallback, type);
        }
        if (!node.isArray() || node.isEmpty() || node.size() > CHOOSABLE.size()) {
            throw PortalException.badRequest(field + " must be a non-empty array of grant types");
        }
        Set<String> grants = new TreeSet<>();
        for (JsonNode v : node) {
            if (!v.isTextual() || !CHOOSABLE.contains(v.asText())) {
                throw PortalException.badRequest("unknown grant type; choose among " + String.join(", ", CHOOSABLE));
            }
            grants.add(v.asText());
        }
        return check(grants, type);
    }

    private static Set<String> check(Set<String> grants, ApplicationRecord.ClientType type) {
        if (type == ApplicationRecord.ClientType.PUBLIC && grants.contains(CLIENT_CREDENTIALS)) {
            throw PortalException.badRequest("a public client cannot use client_credentials: it has no secret");
        }
        return Set.copyOf(grants);
    }
}
