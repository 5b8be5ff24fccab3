package io.tollgate.tokenapi.core;

import io.tollgate.shared.events.PlanRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshPolicyTest {
    private static final long CREATED_MILLIS = 1_800_000_000_500L;

    static PlanRecord plan(String id, long reuse, long session) {
        return new PlanRecord(id, "api-" + id, id, Set.of("read"), 0, 0, 0, 0, false,
                Set.of("password", "refresh_token"), reuse, session);
    }

    @Test
    void aPlanWithoutEitherSettingKeepsTodaysBehaviour() {
        RefreshPolicy policy = RefreshPolicy.of(List.of(plan("basic", 0, 0)));

        assertThat(policy).isEqualTo(new RefreshPolicy(0, 0));
        assertThat(policy.capExpiry(1_900_000_000L, CREATED_MILLIS)).isEqualTo(1_900_000_000L);
        assertThat(policy.sessionOver(CREATED_MILLIS, Instant.ofEpochSecond(4_000_000_000L))).isFalse();
    }

    @Test
    void severalPlansGiveTheStrictest() {
        assertThat(RefreshPolicy.of(List.of(plan("a", 30, 0), plan("b", 10, 3600), plan("c", 20, 600))))
                .isEqualTo(new RefreshPolicy(10, 600));
        assertThat(RefreshPolicy.of(List.of(plan("a", 30, 0), plan("b", 0, 0))).reuseSeconds())
                .as("one plan without retries turns them off").isZero();
        assertThat(RefreshPolicy.of(List.of())).isEqualTo(new RefreshPolicy(0, 0));
    }

    @Test
    void theSessionEndsItsLifetimeAfterTheLoginSecond() {
        RefreshPolicy policy = new RefreshPolicy(0, 60);

        assertThat(policy.sessionEndSeconds(CREATED_MILLIS)).isEqualTo(1_800_000_060L);
        assertThat(policy.sessionOver(CREATED_MILLIS, Instant.ofEpochSecond(1_800_000_059L))).isFalse();
        assertThat(policy.sessionOver(CREATED_MILLIS, Instant.ofEpochSecond(1_800_000_060L))).isTrue();
        assertThat(policy.capExpiry(1_802_592_000L, CREATED_MILLIS)).isEqualTo(1_800_000_060L);
        assertThat(policy.capExpiry(1_800_000_030L, CREATED_MILLIS)).isEqualTo(1_800_000_030L);
        assertThat(policy.sessionOver(0, Instant.ofEpochSecond(1_800_000_000L)))
                .as("a family without a known login time is over: fail closed").isTrue();
    }
}
