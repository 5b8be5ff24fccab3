package io.tollgate.policy.core;

import io.tollgate.shared.events.PlanRecord;

import java.time.Instant;
import java.util.List;

/**
 * Everything a policy may look at, gathered before the (pure) evaluation.
 *
 * @param plan     the plan of the subscription the event is about, from the registry; null when unknown
 * @param families live families of (user, client) on that subscription, oldest first
 */
public record PolicyContext(String userId, String clientId, String familyId, Instant now, Account account,
                            PlanRecord plan, List<LiveFamily> families) {
    public PolicyContext {
        families = List.copyOf(families);
    }
}
