package io.tollgate.shared.events;

import java.util.Objects;

/** Invariant checks shared by the event records' canonical constructors. */
final class Checks {
    private Checks() {
    }

    static String text(String value, String name) {
        Objects.requireNonNull(value, name + " is required");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static <T> T present(T value, String name) {
        return Objects.requireNonNull(value, name + " is required");
    }

    static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }

    static long nonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }

    /** A SHA-256 hash in base64url without padding: 43 characters. Guards against a raw token sneaking in. */
    static String hash(String value, String name) {
        text(value, name);
        if (value.length() != 43 || !value.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            throw new IllegalArgumentException(name + " must be a base64url SHA-256 hash");
        }
        return value;
    }
}
