package io.tollgate.gateway.core;

import io.tollgate.shared.events.PlanRecord;

import java.util.Set;
import java.util.TreeSet;

/**
 * The scopes in effect for a call (docs/README.md, "Scope"): the token's scopes that the plan of the route's API
 * grants. A token carries the union of the scopes of every API in its {@code aud}; a scope another API's plan
 * grants must not pass this API's check, nor reach its backend in {@code X-Authenticated-Scope}.
 *
 * @param plan   the plan the scopes were computed for (compared by identity to reuse the value)
 * @param scopes the effective scopes
 * @param header the effective scopes space-separated in lexicographic order, as {@code X-Authenticated-Scope}
 */
public record EffectiveScopes(PlanRecord plan, Set<String> scopes, String header) {

    public EffectiveScopes {
        scopes = Set.copyOf(scopes);
    }

    /** {@code tokenScopes} ∩ the plan's scopes. */
    public static EffectiveScopes of(Set<String> tokenScopes, PlanRecord plan) {
        TreeSet<String> effective = new TreeSet<>(tokenScopes);
        effective.retainAll(plan.scopes());
        return new EffectiveScopes(plan, effective, String.join(" ", effective));
    }

    public boolean contains(String scope) {
        return scopes.contains(scope);
    }
}
