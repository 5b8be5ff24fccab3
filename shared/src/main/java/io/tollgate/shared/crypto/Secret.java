package io.tollgate.shared.crypto;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * A secret value from configuration or a request (password, client secret, raw token). Prints as
 * {@code [REDACTED]} everywhere, so it can never leak through a log line or a record's toString.
 */
public final class Secret {
    public static final String REDACTED = "[REDACTED]";

    private final String value;

    @JsonCreator
    public Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret itself: call only where it is used, never to print. */
    @JsonValue
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Constant-time comparison. */
    public boolean matches(String candidate) {
        return candidate != null && ConstantTime.equals(value, candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && ConstantTime.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
