package io.tollgate.tokenapi.core;

import io.tollgate.shared.events.ApiRecord;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import io.tollgate.tokenapi.config.ApiEntitlement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of a client's subscriptions a user may use, and with which scopes: deny by default when the API or the
 * subscription's plan requires a group the user is not in; the plan's scopes narrowed by the groups' scopes when
 * configured. Scopes stay bound to the API whose plan grants them.
 *
 * <p>The group an API requires is the registry's ({@link ApiRecord#requiredGroup()}, none when it says none) when the
 * registry has the API, else the configuration's {@code entitlements.<api>.requiredGroup}; a plan's
 * {@link PlanRecord#requiredGroup()} is required as well. {@code scopesByGroup} comes from the configuration.
 */
public final class Entitlements {
    private final Map<String, ApiEntitlement> rules;
    private final RegistryView registry;

    /** Rules from the configuration only: for callers without a registry. */
    public Entitlements(Map<String, ApiEntitlement> rules) {
        this(rules, null);
    }

    /** @param registry the registry view whose APIs decide their required group; null: the configuration's rules */
    public Entitlements(Map<String, ApiEntitlement> rules, RegistryView registry) {
        this.rules = Map.copyOf(rules);
        this.registry = registry;
    }

    /** A subscription the client holds and whose plan allows the grant. */
    public record Usable(SubscriptionRecord subscription, PlanRecord plan) {
    }

    /** One API the user may use through the client: its subscription and plan, and the scopes allowed there. */
    public record ApiGrant(Usable usable, Set<String> scopes) {
        public ApiGrant {
            scopes = Collections.unmodifiableSet(new TreeSet<>(scopes));
        }

        public String api() {
            return usable.subscription().api();
        }
    }

    /**
     * What the user may have, per API (sorted by API name, never empty). A token's {@code scope} is the union over
     * its audience; the gateway narrows it to the plan of the API each call goes to (docs/README.md, "Scope").
     */
    public record Entitled(List<ApiGrant> apis) {
        public Entitled {
            if (apis.isEmpty()) {
                throw new IllegalArgumentException("an entitlement names at least one API");
            }
            apis = List.copyOf(apis);
        }

        /** The APIs, the token's {@code aud}. */
        public Set<String> audience() {
            Set<String> audience = new TreeSet<>();
            apis.forEach(a -> audience.add(a.api()));
            return audience;
        }

        /** The union of the scopes allowed on each API. */
        public Set<String> scopes() {
            Set<String> scopes = new TreeSet<>();
            apis.forEach(a -> scopes.addAll(a.scopes()));
            return scopes;
        }

        /** The subscription a new token family is tied to: the first API's. */
        public SubscriptionRecord primary() {
            return apis.get(0).usable().subscription();
        }

        /**
         * Only the APIs named in {@code apis} (RFC 8707 resource indicators, already known to be among the client's).
         *
         * @throws OAuthException invalid_target when the user is not entitled to one of them
         */
        public Entitled narrowTo(Set<String> wanted) {
            Entitled kept = only(wanted);
            if (kept == null || kept.apis.size() != wanted.size()) {
                throw new OAuthException(OAuthError.INVALID_TARGET,
                        "the user may not use every requested resource through this application");
            }
            return kept;
        }

        /** The APIs that are also in {@code wanted}; null when none is. */
        public Entitled only(Set<String> wanted) {
            List<ApiGrant> kept = apis.stream().filter(a -> wanted.contains(a.api())).toList();
            return kept.isEmpty() ? null : new Entitled(kept);
        }
    }

    /**
     * @param groups the user's groups; {@code null} skips group rules (the IdP cannot be asked again)
     * @return null when the user is entitled to none of the subscriptions
     */
    public Entitled evaluate(List<Usable> usable, Set<String> groups) {
        List<ApiGrant> apis = new ArrayList<>();
        List<Usable> sorted = new ArrayList<>(usable);
        sorted.sort(Comparator.comparing(u -> u.subscription().api()));
        for (Usable u : sorted) {
            String api = u.subscription().api();
            ApiEntitlement rule = rules.get(api);
            if (groups == null) {
                apis.add(new ApiGrant(u, u.plan().scopes()));
            } else if (inGroups(groups, apiGroup(api, rule), u.plan().requiredGroup())) {
                apis.add(new ApiGrant(u, allowedScopes(rule, u.plan().scopes(), groups)));
            }
        }
        return apis.isEmpty() ? null : new Entitled(apis);
    }

    /** The group {@code api} requires: the registry's when it has the API, else the configuration's; null: none. */
    private String apiGroup(String api, ApiEntitlement rule) {
        if (registry != null) {
            var record = registry.api(api);
            if (record.isPresent()) {
                return record.get().requiredGroup();
            }
        }
        return rule == null ? null : rule.requiredGroup;
    }

    /** True when the user is in every group required (a null or blank group requires nothing). */
    private static boolean inGroups(Set<String> groups, String... required) {
        for (String group : required) {
            if (group != null && !group.isBlank() && !groups.contains(group)) {
                return false;
            }
        }
        return true;
    }

    /** The plan's scopes, narrowed by the configuration's {@code scopesByGroup} when it has some for the API. */
    static Set<String> allowedScopes(ApiEntitlement rule, Set<String> planScopes, Set<String> groups) {
        if (rule == null || rule.scopesByGroup.isEmpty()) {
            return new TreeSet<>(planScopes);
        }
        Set<String> fromGroups = new TreeSet<>();
        rule.scopesByGroup.forEach((group, s) -> {
            if (groups.contains(group)) {
                fromGroups.addAll(s);
            }
        });
        fromGroups.retainAll(planScopes);
        return fromGroups;
    }
}
