package io.tollgate.tokenapi.core;

import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * RFC 8707 resource indicators at the token endpoint. A {@code resource} value is the name of an API (docs/README.md,
 * "Audience"; no URI form is defined for an API, so none is accepted); several may be sent. The token's
 * {@code aud} becomes exactly those APIs. A value that is malformed, unknown, or not an API the client holds an
 * approved subscription to whose plan allows the grant is {@code invalid_target} (RFC 8707 §2).
 */
public final class ResourceIndicators {
    static final int MAX_LENGTH = 256;

    private ResourceIndicators() {
    }

    /**
     * The APIs named, or {@code null} when no {@code resource} was sent (the audience is then every API the client
     * may use).
     */
    public static Set<String> parse(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        Set<String> apis = new TreeSet<>();
        for (String value : values) {
            if (value.length() > MAX_LENGTH || !value.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
                throw new OAuthException(OAuthError.INVALID_TARGET, "malformed resource");
            }
            apis.add(value);
        }
        return apis;
    }

    /** @throws OAuthException invalid_target unless every API in {@code apis} is in {@code offered} */
    public static void requireAmong(Set<String> apis, Set<String> offered) {
        if (!offered.containsAll(apis)) {
            throw new OAuthException(OAuthError.INVALID_TARGET,
                    "a requested resource is not an API this application is subscribed to");
        }
    }

    /** The APIs of the client's usable subscriptions. */
    public static Set<String> offered(List<Entitlements.Usable> usable) {
        Set<String> apis = new TreeSet<>();
        usable.forEach(u -> apis.add(u.subscription().api()));
        return apis;
    }
}
