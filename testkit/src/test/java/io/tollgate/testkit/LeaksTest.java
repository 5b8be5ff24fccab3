package io.tollgate.testkit.hostile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LeaksTest {
    @Test
    void findsStackTracesAndReflectedSecrets() {
        assertThat(Leaks.stackTrace("{\"error\":\"invalid_request\"}")).isNull();
        assertThat(Leaks.stackTrace("java.lang.IllegalStateException: x\n\tat io.tollgate.X")).startsWith("stack trace");
        assertThat(Leaks.reflected("{\"error\":\"invalid_grant\"}", List.of("s3cret-token"), 6, "fzpw")).isNull();
        assertThat(Leaks.reflected("Set-Cookie: a=s3cret-token", List.of("s3cret-token"), 6, "fzpw")).isNotNull();
        assertThat(Leaks.reflected("{\"user\":\"abc\"}", List.of("abc"), 6, "fzpw")).as("too short to count").isNull();
        assertThat(Leaks.reflected("{\"password\":\"fzpw42\"}", List.of(), 6, "fzpw")).isEqualTo("reflected password");
        assertThat(Leaks.abbreviate("a\r\nb")).isEqualTo("a\\r\\nb");
        assertThat(Leaks.abbreviate("x".repeat(400))).hasSize(300 + "...(400)".length());
    }
}
