package io.tollgate.tokenapi.core;

import io.tollgate.shared.auth.LockoutPolicy;
import io.tollgate.tokenapi.api.OAuthException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopeAndLockoutPolicyTest {

    @Test
    void noScopeParameterMeansEverythingAllowed() {
        assertThat(ScopePolicy.parse(null)).isNull();
        assertThat(ScopePolicy.parse("   ")).isNull();
        assertThat(ScopePolicy.grant(null, Set.of("read", "write"))).containsExactly("read", "write");
    }

    @Test
    void requestedScopesOutsideTheAllowedAreDropped() {
        assertThat(ScopePolicy.grant(ScopePolicy.parse("write  read admin"), Set.of("read"))).containsExactly("read");
        assertThat(ScopePolicy.grant(ScopePolicy.parse("write"), Set.of("read"))).isEmpty();
        assertThat(ScopePolicy.format(Set.of("write", "read"))).isEqualTo("read write");
    }

    @Test
    void malformedScopeIsInvalidScope() {
        assertThatThrownBy(() -> ScopePolicy.parse("read\"")).isInstanceOf(OAuthException.class);
        assertThatThrownBy(() -> ScopePolicy.parse("re\\ad")).isInstanceOf(OAuthException.class);
        assertThatThrownBy(() -> ScopePolicy.parse("r\u00e9ad")).isInstanceOf(OAuthException.class);
    }

    @Test
    void lockoutWaitStartsAtTheThresholdDoublesAndIsCapped() {
        LockoutPolicy policy = new LockoutPolicy(5, Duration.ofSeconds(60), Duration.ofMinutes(15));
        assertThat(policy.waitAfter(4)).isZero();
        assertThat(policy.waitAfter(5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.waitAfter(6)).isEqualTo(Duration.ofSeconds(120));
        assertThat(policy.waitAfter(8)).isEqualTo(Duration.ofSeconds(480));
        assertThat(policy.waitAfter(9)).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.waitAfter(1_000_000)).isEqualTo(Duration.ofMinutes(15));
    }
}
