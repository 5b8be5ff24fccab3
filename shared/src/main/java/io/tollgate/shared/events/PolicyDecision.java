package io.tollgate.shared.events;

import java.time.Instant;

/**
 * The outcome of one asynchronous policy run for a user (optionally one client and family).
 * Compacted per user: the newest decision is the user's standing, which token-api reads before a login.
 */
public record PolicyDecision(
        String userId,
        String clientId,
        String familyId,
        Outcome outcome,
        String policy,
        String reason,
        Instant decidedAt) implements UserEventData {

    public enum Outcome { ALLOW, DENY }

    public PolicyDecision {
        Checks.text(userId, "userId");
        Checks.present(outcome, "outcome");
        Checks.text(policy, "policy");
        Checks.present(decidedAt, "decidedAt");
    }
}
