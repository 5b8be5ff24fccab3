package io.tollgate.tokenapi.core;

import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.tokenapi.config.ApiEntitlement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of a client's subscriptions a user may use, and with which scopes: deny by default when an API
 * requires a group the user is not in; the plan's scopes narrowed by the groups' scopes when configured.
 */
public final class Entitlements {
    private final Map<String, ApiEntitlement> rules;

    public Entitlements(Map<String, ApiEntitlement> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** A subscription the client holds and whose plan allows the grant. */
    public record Usable(SubscriptionRecord subscription, PlanRecord plan) {
    }

    /** What the user may have: the APIs (audience), the scopes, and the subscription the family is tied to. */
    public record Entitled(Set<String> audience, Set<String> scopes, SubscriptionRecord primary) {
    }

    /**
     * @param groups the user's groups; {@code null} skips group rules (the IdP cannot be asked again)
     * @return null when the user is entitled to none of the subscriptions
     */
    public Entitled evaluate(List<Usable> usable, Set<String> groups) {
        Set<String> audience = new TreeSet<>();
        Set<String> scopes = new TreeSet<>();
        SubscriptionRecord primary = null;
        List<Usable> sorted = new ArrayList<>(usable);
        sorted.sort(Comparator.comparing(u -> u.subscription().api()));
        for (Usable u : sorted) {
            ApiEntitlement rule = rules.get(u.subscription().api());
            Set<String> allowed = allowedScopes(rule, u.plan().scopes(), groups);
            if (allowed == null) {
                continue;
            }
            audience.add(u.subscription().api());
            scopes.addAll(allowed);
            if (primary == null) {
                primary = u.subscription();
            }
        }
        return primary == null ? null : new Entitled(audience, scopes, primary);
    }

    /** @return null when not entitled at all */
    static Set<String> allowedScopes(ApiEntitlement rule, Set<String> planScopes, Set<String> groups) {
        if (rule == null || groups == null) {
            return new TreeSet<>(planScopes);
        }
        if (rule.getRequiredGroup() != null && !rule.getRequiredGroup().isBlank()
                && !groups.contains(rule.getRequiredGroup())) {
            return null;
        }
        if (rule.getScopesByGroup().isEmpty()) {
            return new TreeSet<>(planScopes);
        }
        Set<String> fromGroups = new TreeSet<>();
        rule.getScopesByGroup().forEach((group, s) -> {
            if (groups.contains(group)) {
                fromGroups.addAll(s);
            }
        });
        fromGroups.retainAll(planScopes);
        return fromGroups;
    }
}
