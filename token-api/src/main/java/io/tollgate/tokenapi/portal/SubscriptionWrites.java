package io.tollgate.tokenapi.portal;

import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.OperatorAction;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.kafka.OperatorAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * This node's subscription writes, serialised so that a version is checked and superseded in one step: a
 * developer's subscription (or plan switch) and an operator's decision, which is bound to the version reviewed.
 */
public final class SubscriptionWrites {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionWrites.class);

    private final RegistryView registry;
    private final RegistryWriter writer;
    private final OperatorAudit audit;
    private final Clock clock;
    private final Object lock = new Object();

    public SubscriptionWrites(RegistryView registry, RegistryWriter writer, OperatorAudit audit, Clock clock) {
        this.registry = registry;
        this.writer = writer;
        this.audit = audit;
        this.clock = clock;
    }

    /** Subscribes {@code app} to {@code planId} of {@code api}; subscribing again is the subscription's next version. */
    SubscriptionRecord subscribe(ApplicationRecord app, String api, String planId, SubscriptionRecord.Status status) {
        String clientId = app.clientId();
        synchronized (lock) {
            // the next version: a decision reviewed before it no longer applies
            SubscriptionRecord sub = registry.subscription(clientId, api)
                    .map(old -> old.next(planId, status, clock.instant()))
                    .orElseGet(() -> new SubscriptionRecord("sub-" + clientId + "-" + api, app.applicationId(),
                            clientId, api, planId, status, clock.instant()));
            writer.put(sub, () -> registry.subscription(clientId, api).filter(sub::equals).isPresent());
            return sub;
        }
    }

    /**
     * An operator's approval or rejection of the subscription at {@code version} on {@code planId}, as reviewed; an
     * {@code operator.action} on the audit stream once written.
     *
     * @throws PortalException 404 for an unknown subscription, 409 {@code subscription_changed} (nothing written)
     *                         when it is no longer what was reviewed
     */
    SubscriptionRecord decide(String subscriptionId, String planId, long version, boolean approve, String operator,
                              String address) {
        SubscriptionRecord.Status status = approve ? SubscriptionRecord.Status.APPROVED
                : SubscriptionRecord.Status.REJECTED;
        synchronized (lock) {
            // check and write under one lock: two decisions (or a decision and a plan switch) on this node cannot
            // both pass the check against the same version
            SubscriptionRecord sub = registry.allSubscriptions().stream()
                    .filter(s -> s.subscriptionId().equals(subscriptionId)).findFirst()
                    .orElseThrow(PortalException::notFound);
            if (!sub.planId().equals(planId) || sub.version() != version) {
                // the reviewed plan id is the caller's text: not logged (log forging), the version is a number
                LOG.info("event=portal.subscription_decision_refused subscription={} operator={} reviewed_version={} "
                        + "plan={} version={}", subscriptionId, operator, version, sub.planId(), sub.version());
                throw new PortalException(409, "subscription_changed", "the subscription changed since it was "
                        + "reviewed: it is now plan " + sub.planId() + " at version " + sub.version()
                        + " (status " + sub.status() + "); review it again");
            }
            SubscriptionRecord written = sub.next(planId, status, clock.instant());
            writer.put(written, () -> registry.subscription(sub.clientId(), sub.api()).filter(written::equals)
                    .isPresent());
            audit.record(OperatorAction.decision(operator, approve, sub, address));
            return written;
        }
    }
}
