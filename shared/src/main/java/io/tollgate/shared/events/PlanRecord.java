package io.tollgate.shared.events;

import java.util.Set;

/**
 * An API plan: the scopes it grants, its rate limits per (application, user) (0 = no limit for that
 * window), its device limit (live token families per (application, user)), and whether a subscription
 * to it needs an admin's approval.
 */
public record PlanRecord(
        String planId,
        String api,
        String name,
        Set<String> scopes,
        long callsPerMinute,
        long callsPerHour,
        long callsPerDay,
        int maxDevices,
        boolean requiresApproval,
        Set<String> grantTypes) implements EventData {

    public PlanRecord {
        Checks.text(planId, "planId");
        Checks.text(api, "api");
        Checks.text(name, "name");
        scopes = Set.copyOf(Checks.present(scopes, "scopes"));
        Checks.nonNegative(callsPerMinute, "callsPerMinute");
        Checks.nonNegative(callsPerHour, "callsPerHour");
        Checks.nonNegative(callsPerDay, "callsPerDay");
        Checks.nonNegative(maxDevices, "maxDevices");
        grantTypes = Set.copyOf(Checks.present(grantTypes, "grantTypes"));
    }

    public static String key(String planId) {
        return "plan:" + planId;
    }

    @Override
    public EventType eventType() {
        return EventType.PLAN;
    }

    @Override
    public String subject() {
        return key(planId);
    }
}
