package io.tollgate.shared.events;

import java.time.Instant;

/** An application's subscription to an API on a plan. Only an APPROVED subscription can get tokens. */
public record SubscriptionRecord(
        String subscriptionId,
        String applicationId,
        String clientId,
        String api,
        String planId,
        Status status,
        Instant updatedAt) implements EventData {

    public enum Status { PENDING, APPROVED, REJECTED }

    public SubscriptionRecord {
        Checks.text(subscriptionId, "subscriptionId");
        Checks.text(applicationId, "applicationId");
        Checks.text(clientId, "clientId");
        Checks.text(api, "api");
        Checks.text(planId, "planId");
        Checks.present(status, "status");
        Checks.present(updatedAt, "updatedAt");
    }

    /** One subscription per (client, API): subscribing again replaces the plan. */
    public static String key(String clientId, String api) {
        return "sub:" + clientId + ":" + api;
    }

    @Override
    public EventType eventType() {
        return EventType.SUBSCRIPTION;
    }

    @Override
    public String subject() {
        return key(clientId, api);
    }
}
