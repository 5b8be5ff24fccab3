package io.tollgate.shared.events;

import java.time.Instant;

/**
 * An application's subscription to an API on a plan. Only an APPROVED subscription can get tokens.
 *
 * @param version counts the writes of this subscription: 1 when first written, one more on every change (a new plan,
 *                an approval, a rejection). An operator's decision names the version it reviewed, so a plan switched
 *                meanwhile is never approved unseen. Records written before the field existed read as 0.
 */
public record SubscriptionRecord(
        String subscriptionId,
        String applicationId,
        String clientId,
        String api,
        String planId,
        Status status,
        Instant updatedAt,
        long version) implements EventData {

    public enum Status { PENDING, APPROVED, REJECTED }

    /** The version of a subscription's first write. */
    public static final long FIRST_VERSION = 1;

    public SubscriptionRecord {
        Checks.text(subscriptionId, "subscriptionId");
        Checks.text(applicationId, "applicationId");
        Checks.text(clientId, "clientId");
        Checks.text(api, "api");
        Checks.text(planId, "planId");
        Checks.present(status, "status");
        Checks.present(updatedAt, "updatedAt");
        Checks.nonNegative(version, "version");
    }

    /** A subscription as first written ({@link #FIRST_VERSION}): seeded data and fixtures. */
    public SubscriptionRecord(String subscriptionId, String applicationId, String clientId, String api, String planId,
                              Status status, Instant updatedAt) {
        this(subscriptionId, applicationId, clientId, api, planId, status, updatedAt, FIRST_VERSION);
    }

    /** This subscription's next write: {@code planId} and {@code status} at {@code at}, one version later. */
    public SubscriptionRecord next(String planId, Status status, Instant at) {
        return new SubscriptionRecord(subscriptionId, applicationId, clientId, api, planId, status, at, version + 1);
    }

    /** One subscription per (client, API): subscribing again replaces the plan. */
    public static String key(String clientId, String api) {
        return "sub:" + clientId + ":" + api;
    }

    @Override
    public String subject() {
        return key(clientId, api);
    }
}
