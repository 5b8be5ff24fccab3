package io.tollgate.shared.events;

import java.time.Instant;

/**
 * A revocation on {@code tollgate.revocations}. USER, USER_CLIENT and CLIENT revocations kill every
 * token whose {@code iat} is at or before {@code notBefore} (whole seconds, fail closed); FAMILY and
 * TOKEN revocations kill one family or one access token. {@code expiresAt} is how long the fact
 * matters: the longest life of a token it can affect.
 */
public record Revocation(
        Kind kind,
        String userId,
        String clientId,
        String familyId,
        String jti,
        Instant notBefore,
        Instant expiresAt,
        String actor,
        String reason) implements EventData {

    public enum Kind { USER, USER_CLIENT, CLIENT, FAMILY, TOKEN }

    public Revocation {
        Checks.present(kind, "kind");
        Checks.present(notBefore, "notBefore");
        Checks.present(expiresAt, "expiresAt");
        Checks.text(actor, "actor");
        switch (kind) {
            case USER -> Checks.text(userId, "userId");
            case USER_CLIENT -> {
                Checks.text(userId, "userId");
                Checks.text(clientId, "clientId");
            }
            case CLIENT -> Checks.text(clientId, "clientId");
            case FAMILY -> Checks.text(familyId, "familyId");
            case TOKEN -> Checks.text(jti, "jti");
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    /** The Kafka key and Redis suffix: what is revoked. Compaction keeps the newest fact per key. */
    public String key() {
        return switch (kind) {
            case USER -> "user:" + userId;
            case USER_CLIENT -> "user:" + userId + ":client:" + clientId;
            case CLIENT -> "client:" + clientId;
            case FAMILY -> "family:" + familyId;
            case TOKEN -> "jti:" + jti;
        };
    }

    @Override
    public String subject() {
        return key();
    }
}
