package io.tollgate.gateway.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** W3C Trace Context parsing and generation; the valid values are the specification's own examples. */
class TraceContextTest {
    private static final String SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String NOT_SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    private static final java.util.regex.Pattern VERSION_00 =
            java.util.regex.Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-01");

    @Test
    void theSpecificationsExamplesAreForwardedAsTheyAre() {
        assertThat(TraceContext.forward(SAMPLED)).isSameAs(SAMPLED);
        assertThat(TraceContext.forward(NOT_SAMPLED)).isSameAs(NOT_SAMPLED);
        assertThat(TraceContext.traceId(SAMPLED)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        // flags other than sampled are kept: unknown flags are the sender's business
        assertThat(TraceContext.forward("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",        // no flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",    // version 00 has exactly four fields
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-010",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",     // upper-case hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902B7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",     // all-zero trace-id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",     // all-zero parent-id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // version ff is invalid
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",     // dashes in the wrong places
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0z",
        " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",    // a higher version: end or '-' after 55
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"})
    void invalidValuesAreNotForwarded(String value) {
        assertThat(TraceContext.forward(value)).isNull();
    }

    @Test
    void nullIsNotForwarded() {
        assertThat(TraceContext.forward(null)).isNull();
        assertThat(TraceContext.traceId(null)).isNull();
    }

    @Test
    void aHigherVersionIsReadByTheVersion00LayoutAndForwardedAsVersion00() {
        assertThat(TraceContext.forward("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isEqualTo(SAMPLED);
        assertThat(TraceContext.forward("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds"))
                .isEqualTo(SAMPLED);
    }

    @Test
    void generatedValuesAreValidSampledAndDistinct() {
        Set<String> traceIds = new HashSet<>();
        Set<String> parentIds = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String value = TraceContext.generate();
            assertThat(value).matches(VERSION_00);
            assertThat(TraceContext.forward(value)).as("a generated value is one the gateway would forward")
                    .isEqualTo(value);
            traceIds.add(TraceContext.traceId(value));
            parentIds.add(value.substring(36, 52));
        }
        assertThat(traceIds).hasSize(1_000);
        assertThat(parentIds).hasSize(1_000);
    }
}
