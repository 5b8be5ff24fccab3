package io.tollgate.gateway.steps;

import io.tollgate.gateway.core.Exchange;
import io.tollgate.gateway.core.Rejection;
import io.tollgate.gateway.core.Stage;
import io.tollgate.gateway.core.Step;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;

import java.util.Optional;

/**
 * The client's approved subscription to the route's API and its plan, from the registry view, and with the plan the
 * scopes in effect for the call: the token's scopes that this plan grants.
 */
public final class SubscriptionStep implements Step {
    private final RegistryView registry;

    public SubscriptionStep(RegistryView registry) {
        this.registry = registry;
    }

    @Override
    public Stage apply(Exchange exchange) {
        if (!registry.isReady()) {
            return Rejection.unavailable("the registry is still loading");
        }
        Optional<SubscriptionRecord> subscription = registry.subscription(exchange.token().clientId(),
                exchange.route().api());
        if (subscription.isEmpty() || subscription.get().status() != SubscriptionRecord.Status.APPROVED) {
            return Rejection.forbidden("the client has no approved subscription to this API");
        }
        Optional<PlanRecord> plan = registry.plan(subscription.get().planId());
        if (plan.isEmpty()) {
            return Rejection.forbidden("the subscription's plan is unknown");
        }
        exchange.subscription(subscription.get());
        exchange.plan(plan.get());
        exchange.scopes(exchange.token().effectiveScopes(plan.get()));
        return Stage.NEXT;
    }
}
