package io.tollgate.shared.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LockoutPolicyTest {

    @Test
    void aFixedPolicyLocksFromTheThresholdForTheSameWait() {
        LockoutPolicy policy = LockoutPolicy.fixed(5, Duration.ofMinutes(15));
        assertThat(policy.locks(4)).isFalse();
        assertThat(policy.waitAfter(4)).isZero();
        assertThat(policy.locks(5)).isTrue();
        assertThat(policy.waitAfter(5)).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.waitAfter(50)).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.max()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aPolicyNeedsAThresholdOfAtLeastOneAndBothWaits() {
        assertThatThrownBy(() -> new LockoutPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LockoutPolicy(1, null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new LockoutPolicy(1, Duration.ofSeconds(1), null))
                .isInstanceOf(NullPointerException.class);
    }
}
