package io.tollgate.shared.events;

/** A grant was refused after the client was identified. {@code userId} is the name that was tried. */
public record LoginFailed(String userId, String clientId, String grantType, Reason reason, String ip)
        implements UserEventData {

    /** Why the grant was refused. Never says more than the client may learn in aggregate. */
    public enum Reason {
        INVALID_CREDENTIALS, NOT_ENTITLED, POLICY_DENIED, LOCKED, INVALID_SCOPE, INVALID_REFRESH_TOKEN, REVOKED,
        /** The user is blocked by an operator ({@link UserBlockRecord}); the client is told what a policy denial tells. */
        BLOCKED
    }

    public LoginFailed {
        Checks.text(userId, "userId");
        Checks.present(reason, "reason");
        Checks.text(grantType, "grantType");
    }
}
