package io.tollgate.shared.events;

import java.util.List;

/**
 * Invariant checks shared by the event records' canonical constructors. A message is built only for a failing
 * check: the gateway makes an {@code api.call} record per request.
 */
final class Checks {
    private Checks() {
    }

    static String text(String value, String name) {
        present(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static <T> T present(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " is required");
        }
        return value;
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

    /** The user, the client and the id that name a refresh token family: all three required. */
    static void family(String userId, String clientId, String familyId) {
        text(userId, "userId");
        text(clientId, "clientId");
        text(familyId, "familyId");
    }

    /** An optional text: null when absent or blank, so a blank value means the same as none. */
    static String nullIfBlank(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A non-empty list of API names (an audience), copied. */
    static List<String> apis(List<String> value, String name) {
        present(value, name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(name + " names at least one API");
        }
        value.forEach(api -> text(api, name));
        return List.copyOf(value);
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
