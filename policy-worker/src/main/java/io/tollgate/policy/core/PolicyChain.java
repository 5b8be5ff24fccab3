package io.tollgate.policy.core;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.tollgate.shared.metrics.Signals;
import io.tollgate.shared.events.PolicyDecision.Outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * Composes policies: every policy runs (so each decision is counted), the first denial is the verdict,
 * and an empty chain denies. Counts each policy's result in {@code tollgate_policy_decisions_total{policy, outcome}}
 * ({@code outcome} {@code allow} or {@code deny}).
 */
public final class PolicyChain {
    public static final String ALL = "all";

    private final List<Policy> policies;
    private final Counter decisions;

    public PolicyChain(List<Policy> policies, MetricRegistry metrics) {
        this.policies = List.copyOf(policies);
        this.decisions = Signals.of(metrics).counter("tollgate_policy_decisions",
                "policy results by policy and outcome (allow or deny)", "policy", "outcome");
        // Registered at 0 from the start, so every node exposes the same series before its first decision.
        for (Policy policy : this.policies) {
            for (Outcome outcome : Outcome.values()) {
                decisions.initLabelValues(policy.name(), label(outcome));
            }
        }
    }

    private static String label(Outcome outcome) {
        return outcome.name().toLowerCase(java.util.Locale.ROOT);
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
            decisions.labelValues(policy.name(), label(result.outcome())).inc();
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
