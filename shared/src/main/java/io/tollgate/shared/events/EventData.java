package io.tollgate.shared.events;

/**
 * The {@code data} of a Tollgate CloudEvent. Each implementation is an immutable record whose
 * canonical constructor checks its invariants, and names its {@link EventType}.
 */
public sealed interface EventData
        permits LoginSucceeded, LoginFailed, LoginLocked, TokenRefreshed, RefreshReused, RefreshRetried,
        TokenRevoked, ClientTokenIssued, Revocation, PolicyDecision, ApiCall, ApplicationRecord, PlanRecord,
        SubscriptionRecord, DeveloperRecord, OperatorAction, ApiRecord, UserBlockRecord {

    /** The event type this data travels as. */
    EventType eventType();

    /** The CloudEvents {@code subject}: the user id for auth events, the target for the others. */
    String subject();
}
