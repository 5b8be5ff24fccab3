package io.tollgate.policy.core;

import com.codahale.metrics.MetricRegistry;
import io.tollgate.shared.events.PolicyDecision.Outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * Composes policies: every policy runs (so each decision is counted), the first denial is the verdict,
 * and an empty chain denies. Counts {@code policy.<name>.<allow|deny>} per evaluation.
 */
public final class PolicyChain {
    public static final String ALL = "all";

    private final List<Policy> policies;
    private final MetricRegistry metrics;

    public PolicyChain(List<Policy> policies, MetricRegistry metrics) {
        this.policies = List.copyOf(policies);
        this.metrics = metrics;
        // Registered at 0 from the start, so every node exposes the same names before its first decision.
        for (Policy policy : this.policies) {
            for (Outcome outcome : Outcome.values()) {
                metrics.counter(counterName(policy, outcome));
            }
        }
    }

    private static String counterName(Policy policy, Outcome outcome) {
        return "policy." + policy.name() + "." + outcome.name().toLowerCase();
    }

    public PolicyResult evaluate(PolicyContext context) {
        if (policies.isEmpty()) {
            return PolicyResult.deny(ALL, "no policy configured");
        }
        PolicyResult denial = null;
        List<LiveFamily> revoke = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Policy policy : policies) {
            PolicyResult result;
            try {
                result = policy.evaluate(context);
            } catch (RuntimeException e) {
                result = PolicyResult.deny(policy.name(), "policy failed: " + e.getClass().getSimpleName());
            }
            metrics.counter(counterName(policy, result.outcome())).inc();
            if (result.denied() && denial == null) {
                denial = result;
            }
            revoke.addAll(result.familiesToRevoke());
            if (!result.denied() && result.reason() != null) {
                notes.add(result.reason());
            }
        }
        if (denial != null) {
            return denial; // a denied user loses every token anyway: no separate family revocations
        }
        return new PolicyResult(ALL, Outcome.ALLOW, notes.isEmpty() ? null : String.join("; ", notes), revoke);
    }
}
