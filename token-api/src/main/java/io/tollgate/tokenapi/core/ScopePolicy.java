package io.tollgate.tokenapi.core;

import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** Scope arithmetic of docs/README.md: granted = requested ∩ plan ∩ entitlement; no request means all allowed. */
public final class ScopePolicy {
    private ScopePolicy() {
    }

    /**
     * The requested scopes, or {@code null} when the parameter is absent (= everything allowed).
     *
     * @throws OAuthException invalid_scope for characters RFC 6749 §3.3 forbids
     */
    public static Set<String> parse(String scope) {
        if (scope == null) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        for (String token : scope.split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c < 0x21 || c == 0x22 || c == 0x5c || c > 0x7e) {
                    throw new OAuthException(OAuthError.INVALID_SCOPE, "malformed scope");
                }
            }
            out.add(token);
        }
        return out.isEmpty() ? null : out;
    }

    /** {@code allowed} intersected with {@code requested} (all of {@code allowed} when nothing was requested). */
    public static Set<String> grant(Set<String> requested, Collection<String> allowed) {
        Set<String> granted = new TreeSet<>(allowed);
        if (requested != null) {
            granted.retainAll(requested);
        }
        return granted;
    }

    public static String format(Collection<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    public static Set<String> split(String scope) {
        return scope == null || scope.isBlank() ? Set.of() : new TreeSet<>(Arrays.asList(scope.trim().split(" +")));
    }
}
