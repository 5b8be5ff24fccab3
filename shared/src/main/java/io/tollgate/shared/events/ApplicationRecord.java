package io.tollgate.shared.events;

import java.time.Instant;

/**
 * A registered application's state on {@code tollgate.registry}. Confidential clients carry the
 * PBKDF2 hash of their secret, never the secret.
 *
 * <p>{@code ownerId} is the developer account that owns the app ({@link DeveloperRecord#developerId()}); the
 * portal grants access by it alone. {@code owner} is the owner's e-mail address when the app was registered, a
 * contact, not a credential. Records written before accounts owned apps have no {@code ownerId}: the portal
 * treats such an app as owned by the <em>verified</em> account of its {@code owner} address (README, "Developer
 * portal"), never by an unverified one.
 */
public record ApplicationRecord(
        String applicationId,
        String clientId,
        String name,
        ClientType clientType,
        String secretHash,
        String owner,
        Instant createdAt,
        String ownerId) implements EventData {

    public enum ClientType { PUBLIC, CONFIDENTIAL }

    public ApplicationRecord {
        Checks.text(applicationId, "applicationId");
        Checks.text(clientId, "clientId");
        Checks.text(name, "name");
        Checks.present(clientType, "clientType");
        if (clientType == ClientType.CONFIDENTIAL) {
            Checks.text(secretHash, "secretHash");
        } else if (secretHash != null) {
            throw new IllegalArgumentException("a public client has no secret");
        }
        Checks.present(createdAt, "createdAt");
        if (ownerId != null && ownerId.isBlank()) {
            throw new IllegalArgumentException("ownerId must not be blank");
        }
    }

    /** An application owned by no developer account (operator-provisioned, or a record from before accounts). */
    public ApplicationRecord(String applicationId, String clientId, String name, ClientType clientType,
                             String secretHash, String owner, Instant createdAt) {
        this(applicationId, clientId, name, clientType, secretHash, owner, createdAt, null);
    }

    /** The registry key of an application. */
    public static String key(String clientId) {
        return "app:" + clientId;
    }

    @Override
    public EventType eventType() {
        return EventType.APPLICATION;
    }

    @Override
    public String subject() {
        return key(clientId);
    }

    @Override
    public String toString() {
        return "ApplicationRecord[applicationId=" + applicationId + ", clientId=" + clientId + ", name=" + name
                + ", clientType=" + clientType + ", secretHash=" + (secretHash == null ? null : "[REDACTED]")
                + ", owner=" + owner + ", createdAt=" + createdAt + ", ownerId=" + ownerId + "]";
    }
}
