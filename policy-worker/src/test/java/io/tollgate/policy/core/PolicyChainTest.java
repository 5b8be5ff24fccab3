package io.tollgate.policy.core;

import com.codahale.metrics.MetricRegistry;
import io.tollgate.shared.demo.DemoRegistry;
import io.tollgate.shared.events.Event;
import io.tollgate.shared.events.PolicyDecision;
import io.tollgate.shared.events.PolicyDecision.Outcome;
import io.tollgate.shared.events.Revocation;
import io.tollgate.shared.topics.Topics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyChainTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00.750Z");
    private static final Account VALID = new Account("alice", true, false, NOW.plus(Duration.ofDays(90)));

    private final MetricRegistry metrics = new MetricRegistry();
    private final PolicyChain chain = new PolicyChain(
            List.of(new AccountStatusPolicy(), new LicensePolicy(), new DeviceLimitPolicy()), metrics);

    /** The value of {@code tollgate_policy_decisions_total{policy, outcome}}. */
    private double decisions(String policy, String outcome) {
        return io.tollgate.shared.metrics.Signals.of(metrics).counter("tollgate_policy_decisions", "", "policy", "outcome")
                .labelValues(policy, outcome).get();
    }

    private static PolicyContext context(Account account, int families) {
        List<LiveFamily> live = new java.util.ArrayList<>();
        for (int i = 0; i < families; i++) {
            live.add(new LiveFamily("fam" + i, NOW.toEpochMilli() - 10_000 + i, NOW.plus(Duration.ofDays(30))));
        }
        return new PolicyContext(account.userId(), DemoRegistry.CLIENT_ID, "fam" + (families - 1), NOW, account,
                DemoRegistry.BASIC, live);
    }

    @Test
    void aValidUserWithinTheDeviceLimitIsAllowed() {
        PolicyResult result = chain.evaluate(context(VALID, 3));
        assertThat(result.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(result.familiesToRevoke()).isEmpty();
        assertThat(decisions("license", "allow")).isEqualTo(1.0);
        assertThat(decisions("device-limit", "allow")).isEqualTo(1.0);
        assertThat(decisions("account-status", "allow")).isEqualTo(1.0);
    }

    @Test
    void anExpiredLicenseDenies() {
        Account dave = new Account("dave", true, false, Instant.parse("2024-01-01T00:00:00Z"));
        PolicyResult result = chain.evaluate(context(dave, 1));
        assertThat(result).isEqualTo(PolicyResult.deny("license", "license expired"));
        assertThat(decisions("license", "deny")).isEqualTo(1.0);
    }

    @Test
    void aLicenseEndingThisInstantDenies() {
        PolicyResult result = chain.evaluate(context(new Account("x", true, false, NOW), 1));
        assertThat(result.reason()).isEqualTo("license expired");
    }

    @Test
    void noLicenseDenies() {
        assertThat(chain.evaluate(context(new Account("x", true, false, null), 1)).reason()).isEqualTo("no license");
    }

    @Test
    void aMissingOrDisabledAccountDenies() {
        assertThat(chain.evaluate(context(Account.missing("zed"), 1)))
                .isEqualTo(PolicyResult.deny("account-status", "account not found"));
        assertThat(chain.evaluate(context(new Account("erin", true, true, NOW.plusSeconds(60)), 1)))
                .isEqualTo(PolicyResult.deny("account-status", "account disabled"));
    }

    @Test
    void aFourthDeviceRevokesTheOldestFamilyOnly() {
        PolicyResult result = chain.evaluate(context(VALID, 5));
        assertThat(result.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(result.familiesToRevoke()).extracting(LiveFamily::familyId).containsExactly("fam0", "fam1");
    }

    @Test
    void anUnknownPlanAndAnEmptyChainDeny() {
        PolicyContext noPlan = new PolicyContext("alice", "c", "f", NOW, VALID, null, List.of());
        assertThat(chain.evaluate(noPlan)).isEqualTo(PolicyResult.deny("device-limit", "unknown plan"));
        assertThat(new PolicyChain(List.of(), metrics).evaluate(noPlan).outcome()).isEqualTo(Outcome.DENY);
    }

    @Test
    void aFailingPolicyDenies() {
        Policy broken = new Policy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public PolicyResult evaluate(PolicyContext context) {
                throw new IllegalArgumentException("boom");
            }
        };
        PolicyResult result = new PolicyChain(List.of(broken), metrics).evaluate(context(VALID, 1));
        assertThat(result.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decisions("broken", "deny")).isEqualTo(1.0);
    }

    @Test
    void aDenialBecomesADecisionAndAUserRevocationInWholeSeconds() {
        Account dave = new Account("dave", true, false, Instant.parse("2024-01-01T00:00:00Z"));
        PolicyContext context = context(dave, 1);
        List<Decisions.Output> outputs = Decisions.outputs(context, chain.evaluate(context),
                Event.source("policy-worker", "t"), Duration.ofDays(30));
        assertThat(outputs).extracting(Decisions.Output::topic, Decisions.Output::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Topics.POLICY_DECISIONS.name(), "dave"),
                org.assertj.core.groups.Tuple.tuple(Topics.REVOCATIONS.name(), "user:dave"));
        PolicyDecision decision = outputs.get(0).event().dataAs(PolicyDecision.class);
        assertThat(decision.outcome()).isEqualTo(Outcome.DENY);
        assertThat(decision.policy()).isEqualTo("license");
        Revocation revocation = outputs.get(1).event().dataAs(Revocation.class);
        assertThat(revocation.kind()).isEqualTo(Revocation.Kind.USER);
        assertThat(revocation.notBefore()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(revocation.expiresAt()).isEqualTo(Instant.parse("2026-12-29T10:00:00Z"));
    }

    @Test
    void anExcessFamilyBecomesAFamilyRevocationWithTheFamilysExpiry() {
        PolicyContext context = context(VALID, 4);
        List<Decisions.Output> outputs = Decisions.outputs(context, chain.evaluate(context),
                Event.source("policy-worker", "t"), Duration.ofDays(30));
        assertThat(outputs).hasSize(2);
        assertThat(outputs.get(0).event().dataAs(PolicyDecision.class).outcome()).isEqualTo(Outcome.ALLOW);
        Revocation revocation = outputs.get(1).event().dataAs(Revocation.class);
        assertThat(revocation.kind()).isEqualTo(Revocation.Kind.FAMILY);
        assertThat(revocation.familyId()).isEqualTo("fam0");
        assertThat(outputs.get(1).key()).isEqualTo("family:fam0");
        assertThat(revocation.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    }
}
