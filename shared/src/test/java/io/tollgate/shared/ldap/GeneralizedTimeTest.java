package io.tollgate.shared.ldap;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeneralizedTimeTest {
    @Test
    void parsesUtcAndOffsets() {
        assertThat(GeneralizedTime.parse("20991231235959Z")).isEqualTo(Instant.parse("2099-12-31T23:59:59Z"));
        assertThat(GeneralizedTime.parse("20260101120000+0100")).isEqualTo(Instant.parse("2026-01-01T11:00:00Z"));
    }

    @Test
    void noValueIsNoInstant() {
        assertThat(GeneralizedTime.parse(null)).isNull();
    }

    @Test
    void refusesWhatIsNotAGeneralizedTime() {
        assertThatThrownBy(() -> GeneralizedTime.parse("2099-12-31"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2099-12-31");
    }
}
