package io.tollgate.shared.events;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A registered application's state on {@code tollgate.registry}. Confidential clients carry the
 * PBKDF2 hash of their secret, never the secret.
 *
 * <p>{@code ownerId} is the developer account that owns the app ({@link DeveloperRecord#developerId()}); the
 * portal grants access by it alone. {@code owner} is the owner's e-mail address when the app was registered, a
 * contact, not a credential. Records written before accounts owned apps have no {@code ownerId}: the portal
 * treats such an app as owned by the <em>verified</em> account of its {@code owner} address (README, "Developer
 * portal"), never by an unverified one.
 *
 * <p>{@code grantTypes} are the OAuth grants the application may use (RFC 6749 {@code grant_type} values); a grant
 * is usable only when the application and the plan of the subscription both allow it. Records written before
 * applications named their grants allow {@link #LEGACY_GRANT_TYPES}. {@code redirectUris} are the registered
 * redirect URIs of the authorization code flow (empty: the app cannot use it). {@code dpopRequired}: every token
 * request must carry a valid DPoP proof (RFC 9449) and every access token is sender-constrained.
 */
public record ApplicationRecord(
        String applicationId,
        String clientId,
        String name,
        ClientType clientType,
        String secretHash,
        String owner,
        Instant createdAt,
        String ownerId,
        Set<String> grantTypes,
        List<String> redirectUris,
        boolean dpopRequired) implements EventData {

    public enum ClientType { PUBLIC, CONFIDENTIAL }

    /** The grants of an application whose record names none: the two grants that existed before. */
    public static final Set<String> LEGACY_GRANT_TYPES = Set.of("password", "refresh_token");

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
        grantTypes = grantTypes == null ? LEGACY_GRANT_TYPES : Set.copyOf(grantTypes);
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
    }

    /** An application with the legacy grants, no redirect URI and no DPoP requirement. */
    public ApplicationRecord(String applicationId, String clientId, String name, ClientType clientType,
                             String secretHash, String owner, Instant createdAt, String ownerId) {
        this(applicationId, clientId, name, clientType, secretHash, owner, createdAt, ownerId, null, null, false);
    }

    /** An application owned by no developer account (operator-provisioned, or a record from before accounts). */
    public ApplicationRecord(String applicationId, String clientId, String name, ClientType clientType,
                             String secretHash, String owner, Instant createdAt) {
        this(applicationId, clientId, name, clientType, secretHash, owner, createdAt, null);
    }

    /** Whether the application itself allows {@code grantType} (the plan must allow it too). */
    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    /** The registry key of an application. */
    public static String key(String clientId) {
        return "app:" + clientId;
    }

    @Override
    public String subject() {
        return key(clientId);
    }

    @Override
    public String toString() {
        return "ApplicationRecord[applicationId=" + applicationId + ", clientId=" + clientId + ", name=" + name
                + ", clientType=" + clientType + ", secretHash=" + (secretHash == null ? null : "[REDACTED]")
                + ", owner=" + owner + ", createdAt=" + createdAt + ", ownerId=" + ownerId + ", grantTypes=" + grantTypes
                + ", redirectUris=" + redirectUris + ", dpopRequired=" + dpopRequired + "]";
    }
}
