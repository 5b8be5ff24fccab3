package io.tollgate.gateway.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitFieldsTest {

    @Test
    void theFieldsGoOutByNamePolicyFirst() {
        RateLimitFields fields = new RateLimitFields("\"minute\";q=60;w=60", "\"minute\";r=59;t=37");
        List<String> written = new ArrayList<>();
        fields.forEach((name, value) -> written.add(name + ": " + value));
        assertThat(written).containsExactly("RateLimit-Policy: \"minute\";q=60;w=60",
                "RateLimit: \"minute\";r=59;t=37");
        assertThat(fields.asMap()).containsExactly(java.util.Map.entry("RateLimit-Policy", "\"minute\";q=60;w=60"),
                java.util.Map.entry("RateLimit", "\"minute\";r=59;t=37"));
    }

    @Test
    void noneWritesNothingAndHalfASetIsRefused() {
        RateLimitFields.NONE.forEach((name, value) -> {
            throw new AssertionError(name);
        });
        assertThat(RateLimitFields.NONE.asMap()).isEmpty();
        assertThatThrownBy(() -> new RateLimitFields("\"minute\";q=60;w=60", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitFields(null, "\"minute\";r=59;t=37"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
