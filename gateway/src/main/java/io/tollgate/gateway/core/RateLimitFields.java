package io.tollgate.gateway.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The draft-ietf-httpapi-ratelimit-headers fields of one answer, as the rate limiter decided them: the plan's
 * windows ({@code RateLimit-Policy}) and the tightest one's state ({@code RateLimit}); {@link #NONE} where no limit
 * applies. Two fields, not a map: every admitted call carries them, and writing them builds no map or entry.
 *
 * @param policy    the {@code RateLimit-Policy} value, null in {@link #NONE}
 * @param rateLimit the {@code RateLimit} value, null in {@link #NONE}
 */
public record RateLimitFields(String policy, String rateLimit) {
    public static final String POLICY = "RateLimit-Policy";
    public static final String RATE_LIMIT = "RateLimit";
    /** No fields: a call no limit applies to, or one not decided yet. */
    public static final RateLimitFields NONE = new RateLimitFields(null, null);

    public RateLimitFields {
        if ((policy == null) != (rateLimit == null)) {
            throw new IllegalArgumentException("both fields or neither");
        }
    }

    /** Hands each field to {@code action} as (name, value), {@code RateLimit-Policy} first; nothing for NONE. */
    public void forEach(BiConsumer<String, String> action) {
        if (policy != null) {
            action.accept(POLICY, policy);
            action.accept(RATE_LIMIT, rateLimit);
        }
    }

    /** The fields by name, in {@link #forEach} order. */
    public Map<String, String> asMap() {
        Map<String, String> fields = new LinkedHashMap<>();
        forEach(fields::put);
        return fields;
    }
}
