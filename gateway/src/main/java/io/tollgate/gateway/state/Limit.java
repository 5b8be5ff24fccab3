package io.tollgate.gateway.state;

import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.redis.RedisKeys;

import java.util.ArrayList;
import java.util.List;

/**
 * One window of a plan's limits: per (client, user) ({@code app} false) or for the whole application, all its
 * users together ({@code app} true). {@code name} is the item's name in the RateLimit header fields.
 */
record Limit(QuotaWindow window, long quota, String name, boolean app) {

    /** The counter of this window starting at {@code start} for {@code user} of {@code client}. */
    String key(String client, String user, long start) {
        return app ? RedisKeys.appRateLimit(client, window.code(), start)
                : RedisKeys.rateLimit(client, user, window.fixed(), start);
    }

    /** True when the plan limits nothing (no per-user window, no app-wide limit, no monthly quota). */
    static boolean none(PlanRecord plan) {
        return plan.callsPerMinute() <= 0 && plan.callsPerHour() <= 0 && plan.callsPerDay() <= 0
                && plan.appCallsPerMinute() <= 0 && plan.monthlyQuota() <= 0;
    }

    /** The plan's windows, shortest first (the app-wide minute after the user's minute). */
    static List<Limit> of(PlanRecord plan) {
        List<Limit> limits = new ArrayList<>(5);
        if (plan.callsPerMinute() > 0) {
            limits.add(new Limit(QuotaWindow.MINUTE, plan.callsPerMinute(), "minute", false));
        }
        if (plan.appCallsPerMinute() > 0) {
            limits.add(new Limit(QuotaWindow.MINUTE, plan.appCallsPerMinute(), "app-minute", true));
        }
        if (plan.callsPerHour() > 0) {
            limits.add(new Limit(QuotaWindow.HOUR, plan.callsPerHour(), "hour", false));
        }
        if (plan.callsPerDay() > 0) {
            limits.add(new Limit(QuotaWindow.DAY, plan.callsPerDay(), "day", false));
        }
        if (plan.monthlyQuota() > 0) {
            limits.add(new Limit(QuotaWindow.MONTH, plan.monthlyQuota(), "month", true));
        }
        return limits;
    }

    /** True when any of {@code limits} is app-wide. */
    static boolean anyApp(List<Limit> limits) {
        for (Limit limit : limits) {
            if (limit.app()) {
                return true;
            }
        }
        return false;
    }
}
