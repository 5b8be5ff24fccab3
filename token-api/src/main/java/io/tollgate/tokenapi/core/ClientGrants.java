package io.tollgate.tokenapi.core;

import io.tollgate.shared.events.ApplicationRecord;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.registry.RegistryView;
import io.tollgate.tokenapi.api.OAuthError;
import io.tollgate.tokenapi.api.OAuthException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client's approved subscriptions whose plan allows a grant type, from the registry view. A grant is usable only
 * when the application allows it ({@link ApplicationRecord#grantTypes()}) and so does the plan of the subscription.
 */
public final class ClientGrants {
    private final RegistryView registry;

    public ClientGrants(RegistryView registry) {
        this.registry = registry;
    }

    /**
     * @throws OAuthException unauthorized_client when the application may not use {@code grantType}, or no approved
     *                        subscription's plan allows it
     */
    public List<Entitlements.Usable> usable(ApplicationRecord client, String grantType) {
        if (!client.allowsGrant(grantType)) {
            throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT,
                    "this application may not use the " + grantType + " grant");
        }
        List<Entitlements.Usable> out = new ArrayList<>();
        for (SubscriptionRecord sub : registry.subscriptions(client.clientId())) {
            if (sub.status() != SubscriptionRecord.Status.APPROVED) {
                continue;
            }
            Optional<PlanRecord> plan = registry.plan(sub.planId());
            if (plan.isPresent() && plan.get().grantTypes().contains(grantType)) {
                out.add(new Entitlements.Usable(sub, plan.get()));
            }
        }
        if (out.isEmpty()) {
            throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT,
                    "the client has no approved subscription whose plan allows the " + grantType + " grant");
        }
        return out;
    }
}
