package io.tollgate.policy.core;

import java.util.List;

/**
 * At most the plan's {@code maxDevices} live families per (user, client, subscription); beyond it the OLDEST
 * families are revoked and the user stays entitled. An unknown plan denies; {@code maxDevices == 0} means no limit.
 */
public final class DeviceLimitPolicy implements Policy {
    @Override
    public String name() {
        return "device-limit";
    }

    @Override
    public PolicyResult evaluate(PolicyContext context) {
        if (context.plan() == null) {
            return PolicyResult.deny(name(), "unknown plan");
        }
        int max = context.plan().maxDevices();
        List<LiveFamily> live = context.families(); // oldest first
        if (max == 0 || live.size() <= max) {
            return PolicyResult.allow(name());
        }
        List<LiveFamily> oldest = live.subList(0, live.size() - max);
        return new PolicyResult(name(), io.tollgate.shared.events.PolicyDecision.Outcome.ALLOW,
                "device limit " + max + ": revoked " + oldest.size() + " oldest", oldest);
    }
}
