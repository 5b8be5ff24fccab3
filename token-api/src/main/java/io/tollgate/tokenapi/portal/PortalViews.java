package io.tollgate.tokenapi.portal;

import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.portal.AppView;
import io.tollgate.tokenapi.api.portal.PlanView;
import io.tollgate.tokenapi.api.portal.SessionView;
import io.tollgate.tokenapi.api.portal.SubscriptionView;
import jakarta.ws.rs.core.Response;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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

    static SessionView session(PortalSessions.Session s) {
        return new SessionView(s.email(), s.admin(), s.csrf());
    }

    /** The application with its subscriptions, each with the grants usable there. */
    AppView app(ApplicationRecord a) {
        List<SubscriptionView> subscriptions = registry.subscriptions(a.clientId()).stream()
                .sorted(Comparator.comparing(SubscriptionRecord::api)).map(sub -> {
                    // what the app may really use there: its grants that the plan allows too
                    Set<String> usable = new TreeSet<>(a.grantTypes());
                    usable.retainAll(registry.plan(sub.planId()).map(PlanRecord::grantTypes).orElse(Set.of()));
                    return subscription(sub, usable);
                }).toList();
        return new AppView(a.clientId(), a.applicationId(), a.name(), a.clientType().name().toLowerCase(Locale.ROOT),
                a.createdAt().toString(), a.redirectUris(), new TreeSet<>(a.grantTypes()), subscriptions);
    }

    static SubscriptionView subscription(SubscriptionRecord s) {
        return subscription(s, null);
    }

    private static SubscriptionView subscription(SubscriptionRecord s, Set<String> usableGrantTypes) {
        return new SubscriptionView(s.subscriptionId(), s.clientId(), s.api(), s.planId(), s.status().name(),
                s.updatedAt().toString(), s.version(), usableGrantTypes);
    }

    static PlanView plan(PlanRecord p) {
        return new PlanView(p.planId(), p.api(), p.name(), p.scopes().stream().sorted().toList(), p.callsPerMinute(),
                p.callsPerHour(), p.callsPerDay(), p.appCallsPerMinute(), p.monthlyQuota(), p.maxDevices(),
                p.requiresApproval(), p.refreshReuseSeconds(), p.sessionLifetimeSeconds(),
                new TreeSet<>(p.grantTypes()));
    }
}
