package io.tollgate.shared.events;

import java.util.Set;

/**
 * An API plan: the scopes it grants, its rate limits per (application, user) (0 = no limit for that
 * window), its device limit (live token families per (application, user)), and whether a subscription
 * to it needs an admin's approval.
 *
 * <p>{@code refreshReuseSeconds}: how long the refresh token just rotated may be presented again by the same client
 * and get the same successor pair, as long as the successor is unused (0 = off: any reuse revokes the family).
 * {@code sessionLifetimeSeconds}: the absolute lifetime of a token family from its login, whatever its refreshes
 * (0 = bounded only by the refresh token lifetime). Records written before these existed read as 0.
 *
 * <p>{@code appCallsPerMinute}: the limit per minute for the whole application, all its users together, enforced
 * exactly across gateways (0 = none). {@code monthlyQuota}: the calls one application may make per calendar month
 * (UTC), all its users together (0 = none). {@code requiredGroup}: the group a user must be in, beside the API's, to
 * get a token through an application on this plan (null = no further group). Records written before these existed
 * read as 0 and null.
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
        Set<String> grantTypes,
        long refreshReuseSeconds,
        long sessionLifetimeSeconds,
        long appCallsPerMinute,
        long monthlyQuota,
        String requiredGroup) implements EventData {

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
        Checks.nonNegative(refreshReuseSeconds, "refreshReuseSeconds");
        Checks.nonNegative(sessionLifetimeSeconds, "sessionLifetimeSeconds");
        Checks.nonNegative(appCallsPerMinute, "appCallsPerMinute");
        Checks.nonNegative(monthlyQuota, "monthlyQuota");
        requiredGroup = Checks.nullIfBlank(requiredGroup);
    }

    /** A plan without app-wide limits or a group of its own. */
    public PlanRecord(String planId, String api, String name, Set<String> scopes, long callsPerMinute,
                      long callsPerHour, long callsPerDay, int maxDevices, boolean requiresApproval,
                      Set<String> grantTypes, long refreshReuseSeconds, long sessionLifetimeSeconds) {
        this(planId, api, name, scopes, callsPerMinute, callsPerHour, callsPerDay, maxDevices, requiresApproval,
                grantTypes, refreshReuseSeconds, sessionLifetimeSeconds, 0, 0, null);
    }

    /** A plan without a refresh reuse interval or an absolute session lifetime. */
    public PlanRecord(String planId, String api, String name, Set<String> scopes, long callsPerMinute,
                      long callsPerHour, long callsPerDay, int maxDevices, boolean requiresApproval,
                      Set<String> grantTypes) {
        this(planId, api, name, scopes, callsPerMinute, callsPerHour, callsPerDay, maxDevices, requiresApproval,
                grantTypes, 0, 0);
    }

    public static String key(String planId) {
        return "plan:" + planId;
    }

    @Override
    public String subject() {
        return key(planId);
    }
}
