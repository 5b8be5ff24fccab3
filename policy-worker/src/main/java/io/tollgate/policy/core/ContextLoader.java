package io.tollgate.policy.core;

import io.tollgate.policy.account.AccountSource;
import io.tollgate.policy.license.LicenseSource;
import io.tollgate.policy.redis.FamilyReader;
import io.tollgate.shared.events.LoginSucceeded;
import io.tollgate.shared.events.PlanRecord;
import io.tollgate.shared.events.SubscriptionRecord;
import io.tollgate.shared.events.TokenRefreshed;
import io.tollgate.shared.registry.RegistryView;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The I/O side of a check: gathers account, license, plan and live families for an event. Any lookup that
 * fails throws ({@link SourceUnavailableException} when the account or licence source cannot answer), so the
 * record is retried (never decided on partial facts). The user is the canonical id of the event, as token-api
 * stored it: the account source is asked for exactly that id.
 *
 * <p>An application may subscribe to several APIs, each on its own plan. A decision uses the subscription the event
 * is about: the {@code subscriptionId} of the login or refresh (the family's, as its hash records it for a refresh
 * event written before events named it), its API for the licence, and its plan for the device limit, which counts
 * the user's live families of that subscription on the client (and any family with no subscription recorded). A
 * login's plan is the one it was issued on; a refresh follows the subscription's plan as it is now. When no
 * subscription can be told and the client has exactly one, that one is used; otherwise the plan is unknown and the
 * device limit denies.
 */
public final class ContextLoader {
    private final AccountSource accounts;
    private final LicenseSource licenses;
    private final FamilyReader families;
    private final RegistryView registry;
    private final Clock clock;

    public ContextLoader(AccountSource accounts, LicenseSource licenses, FamilyReader families,
                         RegistryView registry, Clock clock) {
        this.accounts = accounts;
        this.licenses = licenses;
        this.families = families;
        this.registry = registry;
        this.clock = clock;
    }

    public PolicyContext forLogin(LoginSucceeded login) {
        return load(login.userId(), login.clientId(), login.familyId(), login.subscriptionId(), login.planId());
    }

    public PolicyContext forRefresh(TokenRefreshed refresh) {
        return load(refresh.userId(), refresh.clientId(), refresh.familyId(), refresh.subscriptionId(), null);
    }

    private PolicyContext load(String user, String client, String family, String subscriptionId, String planId) {
        Instant now = clock.instant();
        String subId = subscriptionId != null ? subscriptionId : families.subscriptionOf(family);
        Optional<SubscriptionRecord> subscription = subscription(client, subId);
        String api = subscription.map(SubscriptionRecord::api).orElse(null);
        String plan = planId != null ? planId : subscription.map(SubscriptionRecord::planId).orElse(null);
        PlanRecord planRecord = registry.plan(plan).orElse(null);
        Account account = accounts.find(user)
                .map(entry -> new Account(user, true, entry.disabled(),
                        licenses.licenseExpiry(entry, api).orElse(null)))
                .orElse(Account.missing(user));
        List<LiveFamily> live = families.live(user, client, now);
        String counted = subscription.map(SubscriptionRecord::subscriptionId).orElse(subId);
        if (counted != null) {
            live = live.stream().filter(f -> f.subscriptionId() == null || f.subscriptionId().equals(counted))
                    .toList();
        }
        return new PolicyContext(user, client, family, now, account, planRecord, live);
    }

    /** The client's subscription with this id; the client's only subscription when the id is not known. */
    private Optional<SubscriptionRecord> subscription(String client, String subscriptionId) {
        List<SubscriptionRecord> all = registry.subscriptions(client);
        if (subscriptionId == null) {
            return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
        }
        return all.stream().filter(s -> s.subscriptionId().equals(subscriptionId)).findFirst();
    }
}
