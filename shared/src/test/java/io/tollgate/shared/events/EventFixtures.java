package io.tollgate.shared.events;

import io.tollgate.shared.crypto.Hashes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One valid instance of every event type, for round-trip tests here and in other modules. */
public final class EventFixtures {
    public static final Instant T = Instant.parse("2026-11-29T10:15:30Z");
    public static final String HASH = Hashes.sha256("refresh-token-for-tests");

    private EventFixtures() {
    }

    public static List<EventData> oneOfEach() {
        return List.of(
                new LoginSucceeded("alice", "demo-mobile", "demo-mobile-app", "sub-1", "basic", "fam-1", 0, HASH,
                        "jti-1", "read", T.plusSeconds(300), T.plusSeconds(2_592_000), "127.0.0.1"),
                new LoginFailed("alice", "demo-mobile", "password", LoginFailed.Reason.INVALID_CREDENTIALS, "127.0.0.1"),
                new LoginLocked("erin", "demo-mobile", "127.0.0.1", LoginLocked.Scope.USER, 5, T.plusSeconds(60)),
                new TokenRefreshed("alice", "demo-mobile", "fam-1", 1, HASH, "jti-2", "read", T.plusSeconds(300),
                        T.plusSeconds(2_592_000), "127.0.0.1", "sub-1"),
                new RefreshReused("alice", "demo-mobile", "fam-1", "127.0.0.1"),
                new RefreshRetried("alice", "demo-mobile", "fam-1", 2, "127.0.0.1"),
                new TokenRevoked("bob", null, Revocation.Kind.USER, "bob", "ops", "stolen phone"),
                new ClientTokenIssued("demo-service", "demo-service-app", "jti-3", "read write", List.of("mobile"),
                        T.plusSeconds(300), "127.0.0.1"),
                new Revocation(Revocation.Kind.USER, "bob", null, null, null, T, T.plusSeconds(2_592_000), "ops",
                        "stolen phone"),
                new PolicyDecision("dave", "demo-mobile", "fam-9", PolicyDecision.Outcome.DENY, "license",
                        "license expired", T),
                new ApiCall("demo-mobile", "alice", "mobile", "/mobile/", "GET", 200, 1_250,
                        ApiCall.Outcome.PROXIED, T, "4bf92f3577b34da6a3ce929d0e0e4736"),
                new ApplicationRecord("demo-mobile-app", "demo-mobile", "Demo mobile app",
                        ApplicationRecord.ClientType.PUBLIC, null, "demo@example.test", T, "dev-1"),
                new PlanRecord("basic", "mobile", "Basic", Set.of("read"), 60, 0, 0, 3, false, Set.of("password",
                        "refresh_token")),
                new SubscriptionRecord("sub-1", "demo-mobile-app", "demo-mobile", "mobile", "basic",
                        SubscriptionRecord.Status.APPROVED, T, 3),
                new DeveloperRecord("dev-1", "dev@example.test", "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$"
                        + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", T, T.plusSeconds(60)),
                new OperatorAction("ops", OperatorAction.Action.SUBSCRIPTION_APPROVED, "sub-1", null, "demo-mobile",
                        "mobile", "gold", 2L, null, "127.0.0.1"),
                new PlanRecord("partner", "mobile", "Partner", Set.of("read", "write"), 120, 0, 0, 5, true,
                        Set.of("password", "refresh_token"), 0, 0, 1_000, 100_000, "partners"),
                new ApiRecord("mobile", "/mobile/", List.of("http://127.0.0.1:9000"),
                        Map.of("GET", "read", "*", "write"), "mobile-users", false, false),
                new UserBlockRecord("mallory", "abuse", "ops", T));
    }
}
