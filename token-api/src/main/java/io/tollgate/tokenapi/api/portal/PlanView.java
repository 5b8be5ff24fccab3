package io.tollgate.tokenapi.api.portal;

import java.util.List;
import java.util.Set;

/** {@code Plan}: a plan on offer, its limits and the grants it allows. */
public record PlanView(String planId, String api, String name, List<String> scopes, long callsPerMinute,
                       long callsPerHour, long callsPerDay, long appCallsPerMinute, long monthlyQuota,
                       int maxDevices, boolean requiresApproval, long refreshReuseSeconds,
                       long sessionLifetimeSeconds, Set<String> grantTypes) {
}
