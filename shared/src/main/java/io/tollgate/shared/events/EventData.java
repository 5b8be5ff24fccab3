package io.tollgate.shared.events;

/**
 * The {@code data} of a Tollgate CloudEvent. Each implementation is an immutable record whose
 * canonical constructor checks its invariants. {@link EventType} names the type each one travels as.
 */
public sealed interface EventData
        permits UserEventData, TokenRevoked, ClientTokenIssued, Revocation, ApiCall, ApplicationRecord, PlanRecord,
        SubscriptionRecord, DeveloperRecord, OperatorAction, ApiRecord, UserBlockRecord {

    /** The event type this data travels as. */
    default EventType eventType() {
        return EventType.of(getClass());
    }

    /** The CloudEvents {@code subject}: the user id for auth events ({@link UserEventData}), the target for the others. */
    String subject();
}
