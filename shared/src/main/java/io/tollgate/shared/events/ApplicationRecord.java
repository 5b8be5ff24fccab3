package io.tollgate.shared.events;

import java.time.Instant;

/**
 * A registered application's state on {@code tollgate.registry}. Confidential clients carry the
 * PBKDF2 hash of their secret, never the secret.
 */
public record ApplicationRecord(
        String applicationId,
        String clientId,
        String name,
        ClientType clientType,
        String secretHash,
        String owner,
        Instant createdAt) implements EventData {

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
                + ", owner=" + owner + ", createdAt=" + createdAt + "]";
    }
}
