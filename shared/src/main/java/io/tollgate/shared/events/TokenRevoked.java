package io.tollgate.shared.events;

/**
 * Audit record of a revocation accepted through RFC 7009 or the operator API. {@code target} is the
 * revoked family id, jti, user or client; {@code actor} the client or operator who asked.
 */
public record TokenRevoked(String userId, String clientId, Revocation.Kind kind, String target, String actor, String reason)
        implements EventData {

    public TokenRevoked {
        Checks.present(kind, "kind");
        Checks.text(target, "target");
        Checks.text(actor, "actor");
    }

    @Override
    public String subject() {
        return userId != null ? userId : target;
    }
}
