package io.tollgate.shared.events;

import java.time.Instant;

/** An attempt arrived during a lockout, or tripped one. {@code scope} says whether the user or the address is locked. */
public record LoginLocked(String userId, String clientId, String ip, Scope scope, int failures, Instant lockedUntil)
        implements UserEventData {

    public enum Scope { USER, IP }

    public LoginLocked {
        Checks.text(userId, "userId");
        Checks.present(scope, "scope");
        Checks.nonNegative(failures, "failures");
        Checks.present(lockedUntil, "lockedUntil");
    }
}
