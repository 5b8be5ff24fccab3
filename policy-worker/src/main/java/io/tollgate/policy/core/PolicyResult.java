package io.tollgate.policy.core;

import io.tollgate.shared.events.PolicyDecision.Outcome;

import java.util.List;

/**
 * One policy's verdict. An ALLOW may still carry families to revoke (the device limit keeps the user
 * entitled but ends the oldest sessions).
 */
public record PolicyResult(String policy, Outcome outcome, String reason, List<LiveFamily> familiesToRevoke) {
    public PolicyResult {
        familiesToRevoke = List.copyOf(familiesToRevoke);
    }

    public static PolicyResult allow(String policy) {
        return new PolicyResult(policy, Outcome.ALLOW, null, List.of());
    }

    public static PolicyResult deny(String policy, String reason) {
        return new PolicyResult(policy, Outcome.DENY, reason, List.of());
    }

    public boolean denied() {
        return outcome == Outcome.DENY;
    }
}
