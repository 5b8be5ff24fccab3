package io.tollgate.testkit;

import io.tollgate.shared.crypto.Hashes;
import io.tollgate.shared.events.LoginFailed;
import io.tollgate.shared.events.LoginLocked;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PolicyDecision;

import java.time.Instant;

/** A few valid events for the fixtures' own tests. */
final class SampleEvents {
    static final Instant T = Instant.parse("2026-11-29T10:15:30Z");

    private SampleEvents() {
    }

    static LoginSucceeded login() {
        return new LoginSucceeded("alice", "demo-mobile", "demo-mobile-app", "sub-1", "basic", "fam-1", 0,
                Hashes.sha256("refresh-token-for-tests"), "jti-1", "read", T.plusSeconds(300),
                T.plusSeconds(2_592_000), "127.0.0.1");
    }

    static LoginFailed failed() {
        return new LoginFailed("alice", "demo-mobile", "password", LoginFailed.Reason.INVALID_CREDENTIALS, "127.0.0.1");
    }

    static LoginLocked locked() {
        return new LoginLocked("erin", "demo-mobile", "127.0.0.1", LoginLocked.Scope.USER, 5, T.plusSeconds(60));
    }

    static PolicyDecision decision() {
        return new PolicyDecision("dave", "demo-mobile", "fam-9", PolicyDecision.Outcome.DENY, "license",
                "license expired", T);
    }
}
