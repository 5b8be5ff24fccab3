package io.tollgate.tokenapi.portal;

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
     * The grants {@code requested} (a body's {@code grantTypes}), checked for an app of {@code type};
     * {@code fallback} when none were named.
     *
     * @throws PortalException 400 for anything but a non-empty list of known grants fit for the client type
     */
    static Set<String> choose(List<String> requested, ApplicationRecord.ClientType type, Set<String> fallback) {
        if (requested == null) {
            if (fallback == null) {
                throw PortalException.badRequest("grantTypes is required");
            }
            return check(fallback, type);
        }
        if (requested.isEmpty() || requested.size() > CHOOSABLE.size()) {
            throw PortalException.badRequest("grantTypes must be a non-empty array of grant types");
        }
        Set<String> grants = new TreeSet<>();
        for (String grant : requested) {
            if (!CHOOSABLE.contains(grant)) {
                throw PortalException.badRequest("unknown grant type; choose among " + String.join(", ", CHOOSABLE));
            }
            grants.add(grant);
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
