package io.tollgate.tokenapi.core;

import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceIndicatorsTest {

    private static void assertInvalidTarget(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(OAuthException.class)
                .satisfies(e -> assertThat(((OAuthException) e).error()).isEqualTo(OAuthError.INVALID_TARGET));
    }

    @Test
    void noResourceIsNullAndSeveralAreOneSet() {
        assertThat(ResourceIndicators.parse(List.of())).isNull();
        assertThat(ResourceIndicators.parse(List.of("orders", "mobile", "orders"))).containsExactly("mobile", "orders");
    }

    @Test
    void aValueThatCannotBeAnApiNameIsInvalidTarget() {
        assertInvalidTarget(() -> ResourceIndicators.parse(List.of("mob ile")));
        assertInvalidTarget(() -> ResourceIndicators.parse(List.of("mobile", "m\u00f6bile")));
        assertInvalidTarget(() -> ResourceIndicators.parse(List.of("a\u0000")));
        assertInvalidTarget(() -> ResourceIndicators.parse(List.of("x".repeat(ResourceIndicators.MAX_LENGTH + 1))));
        assertThat(ResourceIndicators.parse(List.of("x".repeat(ResourceIndicators.MAX_LENGTH)))).hasSize(1);
    }

    @Test
    void everyResourceMustBeOffered() {
        ResourceIndicators.requireAmong(Set.of("mobile"), Set.of("mobile", "orders"));
        assertInvalidTarget(() -> ResourceIndicators.requireAmong(Set.of("mobile", "ledger"), Set.of("mobile")));
    }
}
