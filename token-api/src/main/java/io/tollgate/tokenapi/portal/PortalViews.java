package io.tollgate.tokenapi.portal;

import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;
import jakarta.ws.rs.core.Response;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The JSON shapes the portal answers ({@code portal/openapi.yaml}): sessions, applications, subscriptions, plans. */
final class PortalViews {
    private final RegistryView registry;

    PortalViews(RegistryView registry) {
        this.registry = registry;
    }

    /** A 200 that no cache keeps. */
    static Response noStore(Object entity) {
        return Response.ok(entity).header("Cache-Control", "no-store").build();
    }

    static Map<String, Object> session(PortalSessions.Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("email", s.email());
        m.put("admin", s.admin());
        m.put("csrfToken", s.csrf());
        return m;
    }

    /** The application with its subscriptions, each with the grants usable there. */
    Map<String, Object> app(ApplicationRecord a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientId", a.clientId());
        m.put("applicationId", a.applicationId());
        m.put("name", a.name());
        m.put("type", a.clientType().name().toLowerCase(Locale.ROOT));
        m.put("createdAt", a.createdAt().toString());
        m.put("redirectUris", a.redirectUris());
        m.put("grantTypes", new TreeSet<>(a.grantTypes()));
        m.put("subscriptions", registry.subscriptions(a.clientId()).stream()
                .sorted(Comparator.comparing(SubscriptionRecord::api)).map(sub -> {
                    Map<String, Object> view = subscription(sub);
                    // what the app may really use there: its grants that the plan allows too
                    Set<String> usable = new TreeSet<>(a.grantTypes());
                    usable.retainAll(registry.plan(sub.planId()).map(PlanRecord::grantTypes).orElse(Set.of()));
                    view.put("usableGrantTypes", usable);
                    return view;
                }).toList());
        return m;
    }

    static Map<String, Object> subscription(SubscriptionRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscriptionId", s.subscriptionId());
        m.put("clientId", s.clientId());
        m.put("api", s.api());
        m.put("planId", s.planId());
        m.put("status", s.status().name());
        m.put("updatedAt", s.updatedAt().toString());
        m.put("version", s.version());
        return m;
    }

    static Map<String, Object> plan(PlanRecord p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("planId", p.planId());
        m.put("api", p.api());
        m.put("name", p.name());
        m.put("scopes", p.scopes().stream().sorted().toList());
        m.put("callsPerMinute", p.callsPerMinute());
        m.put("callsPerHour", p.callsPerHour());
        m.put("callsPerDay", p.callsPerDay());
        m.put("appCallsPerMinute", p.appCallsPerMinute());
        m.put("monthlyQuota", p.monthlyQuota());
        m.put("maxDevices", p.maxDevices());
        m.put("requiresApproval", p.requiresApproval());
        m.put("refreshReuseSeconds", p.refreshReuseSeconds());
        m.put("sessionLifetimeSeconds", p.sessionLifetimeSeconds());
        m.put("grantTypes", new TreeSet<>(p.grantTypes()));
        return m;
    }
}
