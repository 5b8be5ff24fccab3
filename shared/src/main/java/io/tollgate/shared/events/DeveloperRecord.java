package io.tollgate.shared.events;

import java.time.Instant;

/**
 * A developer-portal account on {@code tollgate.registry} (key {@code dev:<email>}). The password is kept only
 * as a PBKDF2 hash ({@code PasswordHashes}); {@link #toString()} never shows it.
 *
 * <p>{@code verifiedAt} is when the owner of {@code email} proved it by the link the portal mailed; the portal
 * writes accounts only once verified. Records written before verification existed have none: such an account
 * logs in to nothing and owns nothing until its address is verified by a new sign-up.
 */
public record DeveloperRecord(
        String developerId,
        String email,
        String passwordHash,
        Instant createdAt,
        Instant verifiedAt) implements EventData {

    public DeveloperRecord {
        Checks.text(developerId, "developerId");
        Checks.text(email, "email");
        Checks.text(passwordHash, "passwordHash");
        Checks.present(createdAt, "createdAt");
    }

    /** An account whose address was never verified (how every record before verification existed reads). */
    public DeveloperRecord(String developerId, String email, String passwordHash, Instant createdAt) {
        this(developerId, email, passwordHash, createdAt, null);
    }

    public boolean verified() {
        return verifiedAt != null;
    }

    /** The registry key of a developer account. */
    public static String key(String email) {
        return "dev:" + email;
    }

    @Override
    public String subject() {
        return key(email);
    }

    @Override
    public String toString() {
        return "DeveloperRecord[developerId=" + developerId + ", email=" + email + ", passwordHash=[REDACTED], createdAt="
                + createdAt + ", verifiedAt=" + verifiedAt + "]";
    }
}
