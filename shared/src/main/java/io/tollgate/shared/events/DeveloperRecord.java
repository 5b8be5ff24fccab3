package io.tollgate.shared.events;

import java.time.Instant;

/**
 * A developer-portal account on {@code tollgate.registry} (key {@code dev:<email>}). The password is kept only
 * as a PBKDF2 hash ({@code PasswordHashes}); {@link #toString()} never shows it.
 */
public record DeveloperRecord(
        String developerId,
        String email,
        String passwordHash,
        Instant createdAt) implements EventData {

    public DeveloperRecord {
        Checks.text(developerId, "developerId");
        Checks.text(email, "email");
        Checks.text(passwordHash, "passwordHash");
        Checks.present(createdAt, "createdAt");
    }

    /** The registry key of a developer account. */
    public static String key(String email) {
        return "dev:" + email;
    }

    @Override
    public EventType eventType() {
        return EventType.DEVELOPER;
    }

    @Override
    public String subject() {
        return key(email);
    }

    @Override
    public String toString() {
        return "DeveloperRecord[developerId=" + developerId + ", email=" + email + ", passwordHash=[REDACTED], createdAt="
                + createdAt + "]";
    }
}
